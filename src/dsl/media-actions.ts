/**
 * Effect actions for files, reactions and slash-command answers (v2 bots; see each for v1).
 * Like `say`, they only emit effect descriptors; the outbox sends them in order.
 */
import type { EventObject, MachineContext, ParameterizedObject } from 'xstate';
import type { ReactionCode } from '../bitrix/reactions';
import { effectAction, resolve, type EffectAction, type ValueOrFn } from './effect-actions';
import { isKeyboardBuilder, type KeyboardLike } from './keyboard';

/** The file of {@link sendFile}. */
export interface FileToSend {
  /** File name with extension, e.g. `invoice.pdf`. */
  name: string;
  /** The bytes: a Buffer, or base64 text. */
  content: Buffer | Uint8Array | string;
  /** Text of the message that carries the file. */
  text?: string;
}

/**
 * Sends a file to the client (`imbot.v2.File.upload`, which posts it with `text` as one message).
 * v2 bots only: for a v1 bot the effect fails (`effect.failed`, `INVALID_EFFECT`), as Bitrix24
 * documents no file upload for v1 bots. Up to about 10 MiB (the file is kept in the outbox until
 * it is sent).
 *
 * @example
 * entry: sendFile(({ context }) => ({ name: 'invoice.pdf', content: context.pdfBase64, text: 'Your invoice' }))
 */
export function sendFile<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
>(
  file: ValueOrFn<FileToSend, TContext, TExpressionEvent, TEvent>,
): EffectAction<TContext, TExpressionEvent, TParams, TEvent> {
  return effectAction((args) => {
    const f = resolve(file, args);
    if (!f || typeof f.name !== 'string') throw new TypeError('sendFile(): the file needs a name');
    const content =
      typeof f.content === 'string' ? f.content : Buffer.from(f.content).toString('base64');
    return {
      type: 'sendFile',
      name: f.name,
      content,
      ...(f.text !== undefined ? { text: f.text } : {}),
    };
  });
}

/** Which message to react to, and with what. */
export interface ReactionTarget {
  messageId: number;
  reaction: ReactionCode;
}

/**
 * Puts a reaction on a message (`imbot.v2.Chat.Message.Reaction.add`); a v1 bot can only `like`
 * (`imbot.message.like`).
 *
 * @example
 * on: { message: { actions: react(({ event }) => ({ messageId: event.messageId, reaction: 'like' })) } }
 */
export function react<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
>(
  target: ValueOrFn<ReactionTarget, TContext, TExpressionEvent, TEvent>,
): EffectAction<TContext, TExpressionEvent, TParams, TEvent> {
  return effectAction((args) => {
    const t = resolve(target, args);
    return { type: 'react', messageId: t.messageId, reaction: t.reaction };
  });
}

/**
 * Removes the bot's reaction from a message (`imbot.v2.Chat.Message.Reaction.delete`).
 *
 * @example
 * actions: unreact(({ context }) => ({ messageId: context.likedId, reaction: 'like' }))
 */
export function unreact<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
>(
  target: ValueOrFn<ReactionTarget, TContext, TExpressionEvent, TEvent>,
): EffectAction<TContext, TExpressionEvent, TParams, TEvent> {
  return effectAction((args) => {
    const t = resolve(target, args);
    return { type: 'react', messageId: t.messageId, reaction: t.reaction, remove: true };
  });
}

/**
 * Answers the slash command of the current `command` event (`imbot.v2.Command.answer`, v1
 * `imbot.command.answer`), in the chat the command came from.
 *
 * @example
 * on: { command: { guard: isCommand('help'), actions: answerCommand('Type your order number.') } }
 */
export function answerCommand<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TEvent extends EventObject,
>(
  text: ValueOrFn<string, TContext, TExpressionEvent, TEvent>,
  options: { keyboard?: KeyboardLike; attach?: unknown } = {},
): EffectAction<TContext, TExpressionEvent, TParams, TEvent> {
  return effectAction((args) => {
    const event = args.event as { type?: string; commandId?: unknown; messageId?: unknown };
    if (
      event.type !== 'command' ||
      typeof event.commandId !== 'number' ||
      typeof event.messageId !== 'number'
    )
      throw new TypeError(
        'answerCommand(): use it on a command event that carries commandId and messageId',
      );
    const keyboard =
      options.keyboard &&
      (isKeyboardBuilder(options.keyboard) ? options.keyboard.build() : options.keyboard);
    return {
      type: 'answerCommand',
      commandId: event.commandId,
      messageId: event.messageId,
      text: resolve(text, args),
      ...(keyboard ? { keyboard } : {}),
      ...(options.attach !== undefined ? { attach: options.attach } : {}),
    };
  });
}
