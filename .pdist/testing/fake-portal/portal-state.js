"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_LINE = void 0;
exports.createPortalState = createPortalState;
exports.chatIdOf = chatIdOf;
exports.chatFor = chatFor;
exports.setSession = setSession;
exports.postMessage = postMessage;
exports.findMessage = findMessage;
exports.normalizeKeyboard = normalizeKeyboard;
exports.requireId = requireId;
exports.timeBlock = timeBlock;
const fault_1 = require("./fault");
exports.DEFAULT_LINE = {
    ID: 1,
    LINE_NAME: 'Support',
    ACTIVE: 'Y',
    WELCOME_MESSAGE: 'Y',
    WELCOME_MESSAGE_TEXT: 'Welcome! An operator will answer you soon.',
    WELCOME_BOT_ENABLE: 'Y',
    WELCOME_BOT_JOIN: 'always',
    WELCOME_BOT_LEFT: 'queue',
    QUEUE: [1],
};
/** Creates an empty portal state. */
function createPortalState(options) {
    return {
        eventGetPace: { minMs: options.eventGetMinIntervalMs ?? 2000, lastAt: new Map() },
        bots: new Map(),
        chats: new Map(),
        lines: (options.lines ?? [exports.DEFAULT_LINE]).map((l) => ({ ...l })),
        events: new Map(),
        acked: new Map(),
        leads: [],
        seq: { bot: (options.firstBotId ?? 7) - 1, message: 100_000, command: 0, event: 1000, lead: 0, session: 300 },
    };
}
/** `chat1777` → 1777; a user dialog (`"15"`) → null. */
function chatIdOf(dialogId) {
    const m = /^chat(\d+)$/i.exec(dialogId);
    return m ? Number(m[1]) : null;
}
/** Returns the chat for a dialog id or numeric chat id, creating it on first use. */
function chatFor(state, ref, lineId) {
    const dialogId = typeof ref === 'number' ? `chat${ref}` : ref;
    let chat = state.chats.get(dialogId);
    if (!chat) {
        const chatId = chatIdOf(dialogId);
        const line = lineId ?? state.lines[0]?.ID ?? 1;
        chat = {
            dialogId,
            chatId,
            lineId: line,
            userCode: `livechat|${line}|${chatId ?? 0}|${(chatId ?? 0) + 1}`,
            session: 'bot',
            sessionId: ++state.seq.session,
            messages: [],
            transfers: [],
            typing: 0,
        };
        state.chats.set(dialogId, chat);
    }
    return chat;
}
/** Moves a chat's session to a new state (tests use it to set up hand-offs done by people). */
function setSession(chat, session, state) {
    if (session === 'bot' && chat.session === 'finished')
        chat.sessionId = ++state.seq.session;
    chat.session = session;
    if (session === 'bot')
        delete chat.operatorId;
}
/** Appends a message to a chat and returns it. */
function postMessage(state, chat, message) {
    const full = { id: ++state.seq.message, dialogId: chat.dialogId, edited: false, deleted: false, ...message };
    chat.messages.push(full);
    return full;
}
/** Finds a message by id in any chat. */
function findMessage(state, id) {
    for (const chat of state.chats.values()) {
        const found = chat.messages.find((m) => m.id === id);
        if (found)
            return found;
    }
    return undefined;
}
/**
 * Normalises a `KEYBOARD` / `fields.keyboard` value: JSON string, `{BUTTONS}` or a bare button
 * array (as Bitrix24 accepts them); `N` or empty removes it.
 */
function normalizeKeyboard(value, error = 'KEYBOARD_ERROR') {
    if (value === undefined || value === null || value === '' || value === 'N')
        return null;
    let v = value;
    if (typeof v === 'string') {
        try {
            v = JSON.parse(v);
        }
        catch {
            (0, fault_1.fail)(error, 'Incorrect keyboard params');
        }
    }
    if (Array.isArray(v))
        return { BUTTONS: v };
    if (v && typeof v === 'object' && Array.isArray(v.BUTTONS)) {
        const buttons = v.BUTTONS;
        const bad = buttons.some((b) => !b || typeof b !== 'object' || (!('TEXT' in b) && (0, fault_1.strval)(b.TYPE) !== 'NEWLINE'));
        if (bad)
            (0, fault_1.fail)(error, 'Incorrect keyboard params');
        return v;
    }
    return (0, fault_1.fail)(error, 'Incorrect keyboard params');
}
/** Reads a positive integer id parameter, failing with `error` when absent or not numeric. */
function requireId(params, key, error, description) {
    const id = (0, fault_1.intval)(params[key]);
    if (id <= 0)
        (0, fault_1.fail)(error, description);
    return id;
}
/** The `time` block of every answer. */
function timeBlock(now) {
    const start = Math.round(now) / 1000;
    const iso = new Date(now).toISOString().replace('Z', '+00:00');
    return {
        start,
        finish: (Math.round(now) + 1) / 1000,
        duration: 0.001,
        processing: 0,
        date_start: iso,
        date_finish: iso,
        operating_reset_at: Math.floor(start) + 600,
        operating: 0,
    };
}
