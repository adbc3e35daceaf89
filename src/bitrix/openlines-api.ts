/**
 * The typed `imopenlines.*` client: all 38 Open Lines methods, nested as Bitrix24 names them
 * (`api.imopenlines.session.history.get({ CHAT_ID })`). Parameters are checked before any request
 * ({@link OpenlinesParamsError}); results come back typed ({@link UnexpectedResultError} when the
 * shape is not the documented one). Every call goes through `RestClient.call`, so it shares the
 * client's auth, rate budget, retries and errors; `batch` takes checked calls from
 * {@link openlinesCall}.
 */
import {
  checkOpenlinesParams,
  parseOpenlinesBatch,
  parseOpenlinesResult,
  type OpenlinesBatchCall,
  type OpenlinesBatchResults,
} from './openlines-call';
import {
  OPENLINES_METHODS,
  type OpenlinesMethod,
  type OpenlinesParams,
  type OpenlinesResult,
} from './openlines-methods';
import type { CallOptions, RestClient } from './types';

/** A method with parameters. */
export type OM<M extends OpenlinesMethod> = (
  params: OpenlinesParams<M>,
  options?: CallOptions,
) => Promise<OpenlinesResult<M>>;
/** A method whose parameters are all optional. */
export type OMopt<M extends OpenlinesMethod> = (
  params?: OpenlinesParams<M>,
  options?: CallOptions,
) => Promise<OpenlinesResult<M>>;
/** A method without parameters. */
export type OM0<M extends OpenlinesMethod> = (
  params?: Record<string, never>,
  options?: CallOptions,
) => Promise<OpenlinesResult<M>>;

/** The 38 `imopenlines.*` methods, grouped as the docs group them. */
export interface OpenlinesApi {
  config: {
    /**
     * `imopenlines.config.add`: Creates an open line; resolves with its id.
     * Who may call: a user allowed to configure open lines.
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/imopenlines-config-add.html}
     */
    add: OMopt<'imopenlines.config.add'>;
    /**
     * `imopenlines.config.delete`: Deletes an open line.
     * Who may call: a user allowed to configure open lines.
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/imopenlines-config-delete.html}
     */
    delete: OM<'imopenlines.config.delete'>;
    /**
     * `imopenlines.config.get`: A line's settings (with the queue when `WITH_QUEUE=Y`); `null` when there is no such line.
     * Who may call: any authorised user (the bot's webhook user or app included). Typed invoked call for machines: yes.
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/imopenlines-config-get.html}
     */
    get: OM<'imopenlines.config.get'>;
    list: {
      /**
       * `imopenlines.config.list.get`: The portal's lines.
       * Who may call: any authorised user (the bot's webhook user or app included). Typed invoked call for machines: yes.
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/imopenlines-config-list-get.html}
       */
      get: OMopt<'imopenlines.config.list.get'>;
    };
    path: {
      /**
       * `imopenlines.config.path.get`: The public address of the lines (`SERVER_ADDRESS`, `PUBLIC_PATH`).
       * Who may call: any authorised user (the bot's webhook user or app included). Typed invoked call for machines: yes.
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/imopenlines-config-path-get.html}
       */
      get: OM0<'imopenlines.config.path.get'>;
    };
    /**
     * `imopenlines.config.update`: Changes a line's settings (e.g. `WELCOME_BOT_*`).
     * Who may call: a user allowed to configure open lines.
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/imopenlines-config-update.html}
     */
    update: OM<'imopenlines.config.update'>;
  };
  network: {
    /**
     * `imopenlines.network.join`: Connects a public (network) line by its 32-character code; resolves with its bot id.
     * Who may call: a user allowed to configure open lines.
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/imopenlines-network-join.html}
     */
    join: OM<'imopenlines.network.join'>;
    message: {
      /**
       * `imopenlines.network.message.add`: Sends a message to a user through a network line (one per user per week).
       * Who may call: an application (OAuth).
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/imopenlines-network-message-add.html}
       */
      add: OM<'imopenlines.network.message.add'>;
    };
  };
  revision: {
    /**
     * `imopenlines.revision.get`: The Open Lines API revisions (`rest`, `web`, `mobile`).
     * Who may call: any authorised user (the bot's webhook user or app included). Typed invoked call for machines: yes.
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/imopenlines-revision-get.html}
     */
    get: OM0<'imopenlines.revision.get'>;
  };
  bot: {
    session: {
      /**
       * `imopenlines.bot.session.finish`: Ends the session (webhook: `CLIENT_ID` added by the client).
       * Who may call: the bot's own credentials (OAuth app, or webhook + CLIENT_ID/botToken). Typed invoked call for machines: yes.
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/chat-bots/imopenlines-bot-session-finish.html}
       */
      finish: OM<'imopenlines.bot.session.finish'>;
      message: {
        /**
         * `imopenlines.bot.session.message.send`: Sends text (`DEFAULT`) or the line greeting (`WELCOME`) to the client.
         * Who may call: the bot's own credentials (OAuth app, or webhook + CLIENT_ID/botToken). Typed invoked call for machines: yes.
         * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/chat-bots/imopenlines-bot-session-message-send.html}
         */
        send: OM<'imopenlines.bot.session.message.send'>;
      };
      /**
       * `imopenlines.bot.session.operator`: Hands the dialog to the line's operators.
       * Who may call: the bot's own credentials (OAuth app, or webhook + CLIENT_ID/botToken). Typed invoked call for machines: yes.
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/chat-bots/imopenlines-bot-session-operator.html}
       */
      operator: OM<'imopenlines.bot.session.operator'>;
      /**
       * `imopenlines.bot.session.transfer`: Transfers the dialog to a user (`USER_ID`) or a line (`QUEUE_ID`).
       * Who may call: the bot's own credentials (OAuth app, or webhook + CLIENT_ID/botToken). Typed invoked call for machines: yes.
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/chat-bots/imopenlines-bot-session-transfer.html}
       */
      transfer: OM<'imopenlines.bot.session.transfer'>;
    };
  };
  crm: {
    chat: {
      /**
       * `imopenlines.crm.chat.getLastId`: The id of the last chat bound to a CRM object.
       * Who may call: a user with CRM rights on the object (the bot may be named as USER_ID). Typed invoked call for machines: yes.
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/chats/imopenlines-crm-chat-get-last-id.html}
       */
      getLastId: OM<'imopenlines.crm.chat.getLastId'>;
      /**
       * `imopenlines.crm.chat.get`: The chats bound to a CRM object.
       * Who may call: a user with CRM rights on the object (the bot may be named as USER_ID). Typed invoked call for machines: yes.
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/chats/imopenlines-crm-chat-get.html}
       */
      get: OM<'imopenlines.crm.chat.get'>;
      user: {
        /**
         * `imopenlines.crm.chat.user.add`: Adds a user (or a bot) to a CRM object's chat; resolves with the chat id.
         * Who may call: a user with CRM rights on the object (the bot may be named as USER_ID). Typed invoked call for machines: yes.
         * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/chats/imopenlines-crm-chat-user-add.html}
         */
        add: OM<'imopenlines.crm.chat.user.add'>;
        /**
         * `imopenlines.crm.chat.user.delete`: Removes a user from a CRM object's chat; resolves with the chat id.
         * Who may call: a user with CRM rights on the object (the bot may be named as USER_ID). Typed invoked call for machines: yes.
         * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/chats/imopenlines-crm-chat-user-delete.html}
         */
        delete: OM<'imopenlines.crm.chat.user.delete'>;
      };
    };
    message: {
      /**
       * `imopenlines.crm.message.add`: Posts a message in a CRM object's chat; resolves with the message id.
       * Who may call: a user with CRM rights on the object (the bot may be named as USER_ID). Typed invoked call for machines: yes.
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/messages/imopenlines-crm-message-add.html}
       */
      add: OM<'imopenlines.crm.message.add'>;
    };
    lead: {
      /**
       * `imopenlines.crm.lead.create`: Creates a lead from the dialog.
       * Who may call: an operator or participant of the session (not a bot).
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-crm-lead-create.html}
       */
      create: OM<'imopenlines.crm.lead.create'>;
    };
  };
  message: {
    quick: {
      /**
       * `imopenlines.message.quick.save`: Saves a message as a quick answer.
       * Who may call: an operator or participant of the session (not a bot).
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/messages/imopenlines-message-quick-save.html}
       */
      save: OM<'imopenlines.message.quick.save'>;
    };
    session: {
      /**
       * `imopenlines.message.session.start`: Starts a new session from a message.
       * Who may call: an operator or participant of the session (not a bot).
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-message-session-start.html}
       */
      start: OM<'imopenlines.message.session.start'>;
    };
  };
  operator: {
    another: {
      /**
       * `imopenlines.operator.another.finish`: Finishes another operator's session.
       * Who may call: an operator or participant of the session (not a bot).
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/operators/imopenlines-operator-another-finish.html}
       */
      finish: OM<'imopenlines.operator.another.finish'>;
    };
    /**
     * `imopenlines.operator.answer`: Takes the dialog (the operator answers).
     * Who may call: an operator or participant of the session (not a bot).
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/operators/imopenlines-operator-answer.html}
     */
    answer: OM<'imopenlines.operator.answer'>;
    /**
     * `imopenlines.operator.finish`: Finishes the operator's own session.
     * Who may call: an operator or participant of the session (not a bot).
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/operators/imopenlines-operator-finish.html}
     */
    finish: OM<'imopenlines.operator.finish'>;
    /**
     * `imopenlines.operator.skip`: Skips the dialog (passes it on in the queue).
     * Who may call: an operator or participant of the session (not a bot).
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/operators/imopenlines-operator-skip.html}
     */
    skip: OM<'imopenlines.operator.skip'>;
    /**
     * `imopenlines.operator.spam`: Marks the dialog as spam.
     * Who may call: an operator or participant of the session (not a bot).
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/operators/imopenlines-operator-spam.html}
     */
    spam: OM<'imopenlines.operator.spam'>;
    /**
     * `imopenlines.operator.transfer`: Transfers the dialog to a user or a line (`queue<ID>`).
     * Who may call: an operator or participant of the session (not a bot).
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/operators/imopenlines-operator-transfer.html}
     */
    transfer: OM<'imopenlines.operator.transfer'>;
  };
  dialog: {
    /**
     * `imopenlines.dialog.get`: The open-line chat, by `CHAT_ID`, `DIALOG_ID`, `SESSION_ID` or `USER_CODE`.
     * Who may call: any authorised user (the bot's webhook user or app included). Typed invoked call for machines: yes.
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-dialog-get.html}
     */
    get: OM<'imopenlines.dialog.get'>;
  };
  session: {
    head: {
      /**
       * `imopenlines.session.head.vote`: The head's rating (1 to 5) of a session.
       * Who may call: the head of the operators.
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-session-head-vote.html}
       */
      vote: OM<'imopenlines.session.head.vote'>;
    };
    history: {
      /**
       * `imopenlines.session.history.get`: A session's messages, users and chat: an open-line bot's way to read the history.
       * Who may call: any authorised user (the bot's webhook user or app included). Typed invoked call for machines: yes.
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-session-history-get.html}
       */
      get: OM<'imopenlines.session.history.get'>;
    };
    /**
     * `imopenlines.session.intercept`: Takes over a dialog from another operator.
     * Who may call: an operator or participant of the session (not a bot).
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-session-intercept.html}
     */
    intercept: OM<'imopenlines.session.intercept'>;
    /**
     * `imopenlines.session.join`: Joins the session.
     * Who may call: an operator or participant of the session (not a bot).
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-session-join.html}
     */
    join: OM<'imopenlines.session.join'>;
    mode: {
      /**
       * `imopenlines.session.mode.pin`: Pins (`ACTIVATE=Y`) or unpins the dialog for the operator.
       * Who may call: an operator or participant of the session (not a bot).
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-session-mode-pin.html}
       */
      pin: OM<'imopenlines.session.mode.pin'>;
      /**
       * `imopenlines.session.mode.pinAll`: Pins all the operator's dialogs; resolves with their chat ids.
       * Who may call: an operator or participant of the session (not a bot).
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-session-mode-pin-all.html}
       */
      pinAll: OM0<'imopenlines.session.mode.pinAll'>;
      /**
       * `imopenlines.session.mode.silent`: Turns silent mode on or off (messages not sent to the client).
       * Who may call: an operator or participant of the session (not a bot).
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-session-mode-silent.html}
       */
      silent: OM<'imopenlines.session.mode.silent'>;
      /**
       * `imopenlines.session.mode.unpinAll`: Unpins all the operator's dialogs; resolves with their chat ids.
       * Who may call: an operator or participant of the session (not a bot).
       * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-session-mode-unpin-all.html}
       */
      unpinAll: OM0<'imopenlines.session.mode.unpinAll'>;
    };
    /**
     * `imopenlines.session.open`: Opens the session of a `USER_CODE`; resolves with `{ chatId }`.
     * Who may call: an operator or participant of the session (not a bot).
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-session-open.html}
     */
    open: OM<'imopenlines.session.open'>;
    /**
     * `imopenlines.session.start`: Starts a new session in the chat.
     * Who may call: an operator or participant of the session (not a bot).
     * @see {@link https://apidocs.bitrix24.com/api-reference/imopenlines/openlines/sessions/imopenlines-session-start.html}
     */
    start: OM<'imopenlines.session.start'>;
  };

  /**
   * Several checked calls in as few `batch` requests as possible; each result parsed like the
   * single call's (an unparsable one becomes `{ status: 'error', error: 'UNEXPECTED_RESULT' }`).
   */
  batch<const C extends readonly OpenlinesBatchCall[]>(
    calls: C,
    options?: CallOptions & { halt?: boolean },
  ): Promise<OpenlinesBatchResults<C>>;
}

/**
 * Calls one `imopenlines.*` method: checks the parameters, calls, parses the result.
 *
 * @example
 * const history = await callOpenlines(client, 'imopenlines.session.history.get', { CHAT_ID: 1777 });
 */
export async function callOpenlines<M extends OpenlinesMethod>(
  client: RestClient,
  method: M,
  params: OpenlinesParams<M> | undefined,
  options?: CallOptions,
): Promise<OpenlinesResult<M>> {
  const checked = checkOpenlinesParams(method, params);
  const raw = await client.call<unknown>(method, checked, options);
  return parseOpenlinesResult(method, raw);
}

/**
 * Builds the typed `imopenlines.*` API over a {@link RestClient}.
 *
 * @example
 * const ol = createOpenlinesApi(client);
 * const chats = await ol.crm.chat.get({ CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 288 });
 */
export function createOpenlinesApi(client: RestClient): OpenlinesApi {
  const root: Record<string, unknown> = {};
  for (const method of Object.keys(OPENLINES_METHODS) as OpenlinesMethod[]) {
    const parts = method.split('.').slice(1);
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = (params?: unknown, options?: CallOptions) =>
      callOpenlines(client, method, params as never, options);
  }
  root.batch = async (
    calls: readonly OpenlinesBatchCall[],
    options?: CallOptions & { halt?: boolean },
  ) => parseOpenlinesBatch(calls, await client.batch([...calls], options));
  return root as unknown as OpenlinesApi;
}
