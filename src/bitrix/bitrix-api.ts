/**
 * Typed methods mirroring the Bitrix24 names (`api.imbot.v2.Chat.Message.send(...)`), each a thin
 * wrapper over `RestClient.call`, so they share its auth, rate budget, retries and errors.
 */
import type * as V1 from './imbot-v1-types';
import type * as V2 from './imbot-v2-types';
import { createOpenlinesApi, type OpenlinesApi } from './openlines-api';
import type { BatchCall, BatchItemResult, CallOptions, RestClient, RestParams } from './types';

/** One typed REST method. */
export type RestMethod<P, R> = (params: P, options?: CallOptions) => Promise<R>;
/** A method whose parameters are all optional. */
export type RestMethodOptional<P, R> = (params?: P, options?: CallOptions) => Promise<R>;

/** The typed REST surface of one portal. */
export interface BitrixApi {
  imbot: {
    register: RestMethod<V1.ImbotRegisterParams, number>;
    unregister: RestMethod<V1.ImbotUnregisterParams, boolean>;
    update: RestMethod<V1.ImbotUpdateParams, boolean>;
    bot: { list: RestMethodOptional<RestParams, V1.ImbotBotListResult> };
    message: {
      add: RestMethod<V1.ImbotMessageAddParams, number>;
      update: RestMethod<V1.ImbotMessageUpdateParams, boolean>;
      delete: RestMethod<V1.ImbotMessageDeleteParams, boolean>;
    };
    chat: { sendTyping: RestMethod<V1.ImbotChatSendTypingParams, boolean> };
    command: {
      register: RestMethod<V1.ImbotCommandRegisterParams, number>;
      answer: RestMethod<V1.ImbotCommandAnswerParams, number>;
    };
    v2: {
      Bot: {
        register: RestMethod<V2.V2BotRegisterParams, V2.V2BotResult>;
        update: RestMethod<V2.V2BotUpdateParams, V2.V2BotResult>;
        unregister: RestMethod<V2.V2BotRefParams, boolean>;
        get: RestMethod<V2.V2BotGetParams, V2.V2BotResult>;
      };
      Chat: {
        Message: {
          send: RestMethod<V2.V2MessageSendParams, V2.V2MessageSendResult>;
          update: RestMethod<V2.V2MessageUpdateParams, boolean>;
          delete: RestMethod<V2.V2MessageDeleteParams, boolean>;
          Reaction: {
            add: RestMethod<V2.V2ReactionParams, boolean>;
            delete: RestMethod<V2.V2ReactionParams, boolean>;
          };
        };
        InputAction: { notify: RestMethod<V2.V2InputActionNotifyParams, boolean> };
      };
      /** `imbot.v2.File.upload` posts the file as a message; `download` gives a single-use link. */
      File: {
        upload: RestMethod<V2.V2FileUploadParams, V2.V2FileUploadResult>;
        download: RestMethod<V2.V2FileDownloadParams, { downloadUrl: string }>;
      };
      Revision: { get: RestMethodOptional<Record<string, never>, V2.V2RevisionResult> };
      Event: { get: RestMethod<V2.V2EventGetParams, V2.V2EventGetResult> };
      Command: {
        register: RestMethod<V2.V2CommandRegisterParams, V2.V2CommandResult>;
        update: RestMethod<V2.V2CommandUpdateParams, V2.V2CommandResult>;
        answer: RestMethod<V2.V2CommandAnswerParams, boolean>;
      };
    };
  };
  /** All 38 Open Lines methods: parameters checked before the request, results typed. */
  imopenlines: OpenlinesApi;
  /** Many calls in as few `batch` requests as possible (≤ 50 each), results in call order. */
  batch(calls: BatchCall[], options?: CallOptions & { halt?: boolean }): Promise<BatchItemResult[]>;
  /** Any other method, untyped. */
  call<T = unknown>(method: string, params?: RestParams, options?: CallOptions): Promise<T>;
}

/**
 * Builds the typed API over a {@link RestClient}.
 *
 * @example
 * const api = createBitrixApi(client);
 * await api.imopenlines.bot.session.message.send({ CHAT_ID: 1777, NAME: 'DEFAULT', MESSAGE: 'Hi' });
 */
export function createBitrixApi(client: RestClient): BitrixApi {
  const m =
    <P, R>(method: string) =>
    (params?: P, options?: CallOptions): Promise<R> =>
      client.call<R>(method, params ?? {}, options);
  return {
    imbot: {
      register: m('imbot.register'),
      unregister: m('imbot.unregister'),
      update: m('imbot.update'),
      bot: { list: m('imbot.bot.list') },
      message: {
        add: m('imbot.message.add'),
        update: m('imbot.message.update'),
        delete: m('imbot.message.delete'),
      },
      chat: { sendTyping: m('imbot.chat.sendTyping') },
      command: { register: m('imbot.command.register'), answer: m('imbot.command.answer') },
      v2: {
        Bot: {
          register: m('imbot.v2.Bot.register'),
          update: m('imbot.v2.Bot.update'),
          unregister: m('imbot.v2.Bot.unregister'),
          get: m('imbot.v2.Bot.get'),
        },
        Chat: {
          Message: {
            send: m('imbot.v2.Chat.Message.send'),
            update: m('imbot.v2.Chat.Message.update'),
            delete: m('imbot.v2.Chat.Message.delete'),
            Reaction: {
              add: m('imbot.v2.Chat.Message.Reaction.add'),
              delete: m('imbot.v2.Chat.Message.Reaction.delete'),
            },
          },
          InputAction: { notify: m('imbot.v2.Chat.InputAction.notify') },
        },
        File: { upload: m('imbot.v2.File.upload'), download: m('imbot.v2.File.download') },
        Revision: { get: m('imbot.v2.Revision.get') },
        Event: { get: m('imbot.v2.Event.get') },
        Command: {
          register: m('imbot.v2.Command.register'),
          update: m('imbot.v2.Command.update'),
          answer: m('imbot.v2.Command.answer'),
        },
      },
    },
    imopenlines: createOpenlinesApi(client),
    batch: (calls, options) => client.batch(calls, options),
    call: (method, params, options) => client.call(method, params, options),
  };
}
