"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.tokenDigest = tokenDigest;
exports.sameTokenDigest = sameTokenDigest;
exports.expectedDigest = expectedDigest;
exports.verifyApplicationToken = verifyApplicationToken;
/**
 * Authenticity of Bitrix24 → handler calls: the top-level `auth[application_token]` against the
 * value stored at install (or `custom<botToken>` for a v2 bot registered through a webhook).
 */
const crypto = __importStar(require("node:crypto"));
/** `crypto.hash` (Node 20.12+): one call, no Hash object per digest; `createHash` before it. */
const oneShot = crypto.hash;
/**
 * The SHA-256 digest of a token's UTF-8 bytes: what {@link verifyApplicationToken} compares.
 * Hash a received token once and compare it with each candidate through {@link sameTokenDigest}.
 */
function tokenDigest(text) {
    return oneShot
        ? oneShot('sha256', text, 'buffer')
        : crypto.createHash('sha256').update(text, 'utf8').digest();
}
const digest = tokenDigest;
/** Constant-time comparison of two {@link tokenDigest}s. */
function sameTokenDigest(expected, actual) {
    return crypto.timingSafeEqual(expected, actual);
}
/**
 * Digests of expected tokens: the same few are compared on every event, so each is hashed once.
 * Bounded (app mode has one token per portal); only the expected side is ever cached.
 */
const expectedDigests = new Map();
const MAX_CACHED = 1024;
/** The digest of an expected token, hashed once per process (bounded cache). */
function expectedDigest(text) {
    let d = expectedDigests.get(text);
    if (d === undefined) {
        if (expectedDigests.size >= MAX_CACHED)
            expectedDigests.clear();
        d = digest(text);
        expectedDigests.set(text, d);
    }
    return d;
}
/**
 * Compares two tokens in constant time. Both sides are hashed first, so the comparison runs
 * over two equal-length digests: neither content nor length of the expected token leaks
 * through timing (only the unavoidable time to hash the given one). False when either is
 * missing, empty or not a string.
 *
 * @example
 * if (!verifyApplicationToken(portal.applicationToken, event.applicationToken)) res.sendStatus(401);
 */
function verifyApplicationToken(expected, actual) {
    if (typeof expected !== 'string' || typeof actual !== 'string')
        return false;
    if (expected === '' || actual === '')
        return false;
    return sameTokenDigest(expectedDigest(expected), digest(actual));
}
