"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.compact = compact;
exports.tokensOf = tokensOf;
exports.mergeTokens = mergeTokens;
exports.portalOf = portalOf;
exports.shortHash = shortHash;
exports.personOf = personOf;
exports.clientOf = clientOf;
exports.clientOfEntity = clientOfEntity;
exports.filesOf = filesOf;
exports.chatIdOfDialog = chatIdOfDialog;
exports.commandContextOf = commandContextOf;
exports.toPlain = toPlain;
/**
 * Pieces shared by the v1 and v2 mappings: portal, tokens, people, files, hashes.
 */
const node_crypto_1 = require("node:crypto");
const event_validation_error_1 = require("./event-validation-error");
function compact(...parts) {
    const out = {};
    // Own keys through Object.keys: parts are plain objects, and `for...in` was the slower walk.
    for (let p = 0; p < parts.length; p++) {
        const part = parts[p];
        const keys = Object.keys(part);
        for (let i = 0; i < keys.length; i++) {
            const key = keys[i];
            const v = part[key];
            if (v !== undefined)
                out[key] = v;
        }
    }
    return out;
}
/** An `auth` block in the framework's names, or undefined when it carries nothing. */
function tokensOf(auth) {
    if (!auth)
        return undefined;
    const tokens = compact({
        accessToken: auth.access_token,
        refreshToken: auth.refresh_token,
        expires: auth.expires,
        expiresIn: auth.expires_in,
        scope: auth.scope,
        userId: auth.user_id,
        clientId: auth.client_id,
        applicationToken: auth.application_token,
        domain: auth.domain,
        memberId: auth.member_id,
        clientEndpoint: auth.client_endpoint,
        serverEndpoint: auth.server_endpoint,
        status: auth.status,
    });
    return Object.keys(tokens).length > 0 ? tokens : undefined;
}
/** Field-wise first defined value: the bot block's own keys win over its nested `AUTH`. */
function mergeTokens(...blocks) {
    const out = {};
    for (const block of blocks) {
        if (!block)
            continue;
        for (const [k, v] of Object.entries(block))
            if (out[k] === undefined)
                out[k] = v;
    }
    return Object.keys(out).length > 0 ? out : undefined;
}
/**
 * The portal, from the top-level `auth` first, then the bot's blocks (a top-level `auth` may
 * lack `member_id`), then what the caller passed.
 */
function portalOf(top, fallbacks, ctx, eventType) {
    const pick = (key, wire) => {
        const own = top?.[wire];
        if (typeof own === 'string' && own !== '')
            return own;
        for (const f of fallbacks)
            if (f?.[key])
                return f[key];
        return undefined;
    };
    const memberId = pick('memberId', 'member_id') ?? ctx.portal?.memberId;
    const domain = pick('domain', 'domain') ?? ctx.portal?.domain;
    const issues = [];
    if (!memberId)
        issues.push((0, event_validation_error_1.eventIssue)('expected member_id in auth or in the bot block', ['auth', 'member_id']));
    if (!domain)
        issues.push((0, event_validation_error_1.eventIssue)('expected domain in auth or in the bot block', ['auth', 'domain']));
    if (!memberId || !domain)
        throw new event_validation_error_1.EventValidationError(issues, { eventType });
    return compact({
        memberId,
        domain,
        clientEndpoint: pick('clientEndpoint', 'client_endpoint'),
        serverEndpoint: pick('serverEndpoint', 'server_endpoint'),
    });
}
/** A short, stable digest for dedupe keys (an edit repeats the message id; its text differs). */
function shortHash(text) {
    return (0, node_crypto_1.createHash)('sha256').update(text).digest('base64url').slice(0, 12);
}
/**
 * A person reference, or undefined for id 0 (system). Without an explicit connector flag (the
 * join event has none) an open-line user is the client when the id matches the 4th part of the
 * chat's entity id.
 */
function personOf(p, ol) {
    if (!p?.id)
        return undefined;
    const isConnector = p.isConnector ?? (ol.isOpenLine && ol.connectorUserId === String(p.id));
    return compact({
        id: p.id,
        name: p.name || undefined,
        firstName: p.firstName || undefined,
        lastName: p.lastName || undefined,
        gender: p.gender || undefined,
        isConnector,
        isBot: p.isBot,
        isExtranet: p.isExtranet,
    });
}
/** The open-line client is the connector user; outside open lines, the (human) counterpart. */
function clientOf(person, ol) {
    if (!person)
        return undefined;
    if (ol.isOpenLine)
        return person.isConnector ? person : undefined;
    return person.isBot ? undefined : person;
}
/**
 * The open-line client named by the chat's entity id (`connector|line|chat|<user id>`), for events
 * that carry no user block (a join: real-payloads 01). Undefined outside open lines.
 */
function clientOfEntity(ol) {
    if (!ol.isOpenLine || !ol.connectorUserId || !/^\d{1,15}$/.test(ol.connectorUserId))
        return undefined;
    const id = Number(ol.connectorUserId);
    return id > 0 ? { id, isConnector: true } : undefined;
}
function scalar(v) {
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}
const MAX_FILES = 100;
/**
 * Attachments, best effort (the shape is undocumented): a map or list of file objects
 * (`FILES[<id>][name|type|size|extension|urlDownload]`, v2 `params.files[0][id|name]`) or a
 * list of bare ids (`FILE_ID[0]=5`).
 */
function filesOf(...sources) {
    for (const source of sources) {
        if (typeof source !== 'object' || source === null)
            continue;
        const files = [];
        for (const [key, v] of Object.entries(source).slice(0, MAX_FILES)) {
            if (typeof v !== 'object' || v === null) {
                const id = scalar(v);
                if (id)
                    files.push({ id });
                continue;
            }
            const f = v;
            const size = Number(scalar(f.size));
            files.push(compact({
                id: scalar(f.id) ?? key,
                name: scalar(f.name),
                type: scalar(f.type),
                size: Number.isFinite(size) && scalar(f.size) !== '' ? size : undefined,
                extension: scalar(f.extension),
                urlDownload: scalar(f.urlDownload),
            }));
        }
        if (files.length > 0)
            return files;
    }
    return [];
}
/** `chat1777` → 1777. */
function chatIdOfDialog(dialogId) {
    if (!dialogId?.startsWith('chat'))
        return undefined;
    const n = Number(dialogId.slice(4));
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
/** `TEXTAREA`, `KEYBOARD`, `MENU` (any case) → the `CommandEvent` context; typed by default. */
function commandContextOf(raw) {
    const lower = raw?.toLowerCase();
    return lower === 'keyboard' || lower === 'menu' ? lower : 'textarea';
}
/**
 * A deep copy made of ordinary objects and arrays (decoded form objects have a null prototype).
 * Keys were already checked by the decoder; `__proto__` is skipped here again all the same.
 */
function toPlain(value, depth = 0) {
    if (typeof value !== 'object' || value === null || depth > 32)
        return value;
    if (Array.isArray(value))
        return value.map((v) => toPlain(v, depth + 1));
    const out = {};
    for (const [k, v] of Object.entries(value))
        if (k !== '__proto__')
            out[k] = toPlain(v, depth + 1);
    return out;
}
