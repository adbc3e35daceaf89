/**
 * Parameters and results of the `imopenlines.*` methods a bot uses (CONTRACT-v1-and-common.md §3.7, §3.8).
 * Bot credentials (`CLIENT_ID`, `botToken`) are optional: the client adds them in webhook mode.
 * Objects are open (`[key: string]: unknown`) where Bitrix24 returns more than we read.
 */
import type { Id, YN } from './imbot-v1-types';

export interface SessionMessageSendParams {
  CHAT_ID: number;
  /** `DEFAULT` sends `MESSAGE`; `WELCOME` sends the line's configured greeting. */
  NAME?: 'DEFAULT' | 'WELCOME';
  MESSAGE?: string;
}

export interface SessionChatParams {
  CHAT_ID: number;
}

export interface SessionTransferParams {
  CHAT_ID: number;
  USER_ID?: number;
  /** A line (config) id, not an operator queue entry. */
  QUEUE_ID?: number;
  /** `<userId>` or `queue<ID>`. */
  TRANSFER_ID?: string;
  LEAVE?: YN;
  CLIENT_ID?: string;
}

export interface SessionFinishParams {
  CHAT_ID: number;
  CLIENT_ID?: string;
}

export interface ConfigListGetParams {
  PARAMS?: {
    select?: string[];
    order?: Record<string, 'ASC' | 'DESC'>;
    filter?: Record<string, unknown>;
    limit?: number;
    offset?: number;
  };
  /** `CHECK_PERMISSION` is a permission action such as `view`, not a Y/N flag. */
  OPTIONS?: { QUEUE?: YN; CONFIG_QUEUE?: YN; CHECK_PERMISSION?: string };
}

export interface OpenlineConfig {
  ID: Id;
  LINE_NAME?: string;
  ACTIVE?: YN;
  QUEUE?: Id[];
  [key: string]: unknown;
}

export interface DialogGetParams {
  CHAT_ID?: number;
  DIALOG_ID?: string;
  SESSION_ID?: number;
  USER_CODE?: string;
}

export interface OpenlineDialog {
  id?: Id;
  dialog_id?: string;
  type?: string;
  entity_type?: string;
  entity_id?: string;
  entity_data_1?: string;
  entity_data_2?: string;
  entity_data_3?: string;
  manager_list?: Id[];
  [key: string]: unknown;
}
