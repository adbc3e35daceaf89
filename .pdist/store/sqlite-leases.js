"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.prepareLeaseStatements = prepareLeaseStatements;
function prepareLeaseStatements(db) {
    return {
        pendingHeads: db.prepare(`SELECT h.dialog_key AS dialog_key, h.head AS head, d.lease_owner AS lease_owner, d.lease_until AS lease_until
       FROM (SELECT dialog_key, MIN(seq) AS head FROM inbox GROUP BY dialog_key) AS h
       LEFT JOIN dialogs AS d ON d.dialog_key = h.dialog_key
       WHERE h.head > ? ORDER BY h.head LIMIT ?`),
        effectLease: db.prepare('SELECT status, lease_owner FROM outbox WHERE seq = ?'),
        extendClaim: db.prepare("UPDATE outbox SET lease_until = ? WHERE seq = ? AND status = 'inflight' AND lease_owner = ?"),
        extendClaims: db.prepare("UPDATE outbox SET lease_until = ? WHERE status = 'inflight' AND lease_owner = ? AND seq IN (SELECT value FROM json_each(?)) RETURNING seq"),
        releaseClaim: db.prepare("UPDATE outbox SET status = 'pending', lease_owner = NULL, lease_until = NULL WHERE seq = ? AND status = 'inflight' AND lease_owner = ?"),
    };
}
