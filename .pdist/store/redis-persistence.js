"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkRedisPersistence = checkRedisPersistence;
exports.checkRedisPersistenceAt = checkRedisPersistenceAt;
const redis_connection_1 = require("./redis-connection");
async function configGet(client, name) {
    const reply = await client.call('CONFIG', 'GET', name);
    if (!Array.isArray(reply) || reply.length < 2)
        return undefined;
    return String(reply[1]);
}
/**
 * Reads `appendonly`, `appendfsync` and `save` with `CONFIG GET`. A server where CONFIG is
 * disabled or not permitted (managed Redis services often rename it) gives `unknown`, never an
 * error.
 *
 * @example
 * const p = await checkRedisPersistence(client);
 * if (p.status !== 'aof') logger.warn(p.message);
 */
async function checkRedisPersistence(client) {
    let appendonly;
    let appendfsync;
    let save;
    try {
        appendonly = await configGet(client, 'appendonly');
        appendfsync = await configGet(client, 'appendfsync');
        save = await configGet(client, 'save');
    }
    catch (error) {
        return {
            status: 'unknown',
            message: `Could not read the Redis persistence settings (CONFIG GET: ${error.message}); make sure Redis runs with appendonly yes and appendfsync everysec or always, or acknowledged events are lost when Redis restarts`,
        };
    }
    if (appendonly === undefined) {
        return {
            status: 'unknown',
            message: 'Could not read the Redis persistence settings (CONFIG GET answered nothing); make sure Redis runs with appendonly yes and appendfsync everysec or always',
        };
    }
    if (appendonly === 'yes') {
        const fsync = appendfsync ?? 'unknown';
        return {
            status: 'aof',
            appendfsync: fsync,
            message: fsync === 'no'
                ? 'Redis writes an append-only file but leaves flushing it to the OS (appendfsync no): a crash of the host can lose acknowledged events from the last ~30 s; appendfsync everysec or always is safer'
                : `Redis keeps acknowledged events on disk (appendonly yes, appendfsync ${fsync})`,
        };
    }
    if (save !== undefined && save.trim() !== '') {
        return {
            status: 'snapshots-only',
            message: `Redis keeps only snapshots (save "${save}", appendonly no): events acknowledged since the last snapshot are lost when Redis restarts. Set appendonly yes with appendfsync everysec (or always)`,
        };
    }
    return {
        status: 'none',
        message: 'Redis keeps nothing on disk (appendonly no, save ""): every acknowledged event, dialog and reply waiting to be sent is lost when Redis restarts. Set appendonly yes with appendfsync everysec (or always)',
    };
}
/**
 * Connects to `url` once, reads its persistence, and disconnects; `unknown` when it cannot connect.
 *
 * @example
 * const p = await checkRedisPersistenceAt('redis://127.0.0.1:6379');
 */
async function checkRedisPersistenceAt(url) {
    let client;
    try {
        client = (0, redis_connection_1.connectRedis)(url, { lazyConnect: false, maxRetriesPerRequest: 1 }).client;
        return await checkRedisPersistence(client);
    }
    catch (error) {
        return {
            status: 'unknown',
            message: `Could not read the Redis persistence settings: ${error.message}`,
        };
    }
    finally {
        client?.disconnect();
    }
}
