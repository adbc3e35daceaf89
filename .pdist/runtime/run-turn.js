"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.runTurn = runTurn;
/**
 * One turn of one dialog, in memory: actor from snapshot → re-arm durable timers → deliver the
 * event → wait until settled → collect emitted effects, the new timer set and the persisted
 * snapshot → stop the actor. The caller commits the result atomically. The only I/O is what the
 * machine invokes: its promises, and its REST calls (`fromRestCall`) through `options.rest`. Those
 * happen before the commit, so they are at-least-once: if the process dies after a call but before
 * the commit, the event is replayed and the call made again (outbox effects, committed first, are
 * sent after the commit instead).
 */
const xstate_1 = require("xstate");
const from_rest_call_1 = require("../dsl/from-rest-call");
const effect_1 = require("../dsl/effect");
const durable_timers_1 = require("./durable-timers");
const json_copy_1 = require("./json-copy");
const turn_error_1 = require("./turn-error");
const wait_for_settled_1 = require("./wait-for-settled");
function start(machine, input, snapshot, rest) {
    const clock = new durable_timers_1.TurnClock();
    const actor = (0, xstate_1.createActor)(machine, {
        input,
        clock,
        ...(snapshot !== undefined ? { snapshot: snapshot } : {}),
    });
    // Bound before start: an initial state may invoke a call at once. Invoked calls happen inside the
    // turn, before the commit (at-least-once: a crash before the commit replays the event and the call).
    if (rest)
        (0, from_rest_call_1.bindRestCalls)({ system: actor.system, perform: rest });
    const before = actor.getSnapshot();
    if (snapshot !== undefined && before.status === 'error')
        return { restoreError: before.error };
    const effects = [];
    const errors = [];
    actor.on(effect_1.EFFECT_EVENT, (e) => effects.push(e.effect));
    // An error observer keeps xstate from rethrowing the machine's error as an uncaught exception.
    actor.subscribe({ error: (err) => errors.push(err) });
    actor.start();
    return { actor, clock, effects, errors };
}
function message(e) {
    return e instanceof Error ? e.message : String(e);
}
/**
 * Runs one turn and disposes of the actor, whatever happens.
 *
 * @example
 * const r = await runTurn({ bot, dialogKey, snapshot, input, timers, delivery: { kind: 'event', event: botEvent }, now, clock, timeoutMs: 10_000 });
 */
async function runTurn(options) {
    const { bot, dialogKey } = options;
    let restartReason;
    let started = start(bot.machine, options.input, options.snapshot, options.rest);
    if ('restoreError' in started) {
        restartReason = `stored snapshot cannot be restored: ${message(started.restoreError)}`;
        started = start(bot.machine, options.input, undefined, options.rest);
        if ('restoreError' in started)
            throw new Error('unreachable: a fresh actor has no snapshot to restore');
    }
    const fresh = options.snapshot === undefined || restartReason !== undefined;
    const { actor, clock, effects, errors } = started;
    let finished = false;
    const fail = (reason, text, cause) => ({
        status: 'error',
        error: new turn_error_1.TurnError({ dialogKey, botCode: bot.code, reason, message: text, cause }),
        ...(restartReason ? { restartReason } : {}),
    });
    try {
        const rearmed = (0, durable_timers_1.rearmTimers)({
            actor,
            clock,
            timers: fresh ? [] : options.timers,
            now: options.now,
        });
        const status = actor.getSnapshot().status;
        if (status === 'active') {
            if (options.delivery.kind === 'event')
                actor.send(options.delivery.event);
            else if (!fresh)
                (0, durable_timers_1.fireTimer)({ clock, rearmed, timerKey: options.delivery.timerKey });
        }
        const settled = await (0, wait_for_settled_1.waitForSettled)({
            actor,
            clock: options.clock,
            timeoutMs: options.timeoutMs,
        });
        if (settled === 'timeout')
            return fail('timeout', `the machine did not settle within ${options.timeoutMs} ms (invoked work still running)`);
        const snap = actor.getSnapshot();
        if (settled === 'error' || snap.status === 'error') {
            const cause = snap.error ?? errors[0];
            return fail('error', `the machine threw: ${message(cause)}`, cause);
        }
        const done = snap.status === 'done';
        const { timers, dropped } = done
            ? { timers: [], dropped: 0 }
            : (0, durable_timers_1.collectTimers)({ actor, rearmed, now: options.now });
        // Plain JSON copies (what a JSON round trip gives), so the commit shares nothing with the machine.
        const persisted = done ? null : (0, json_copy_1.jsonCopy)(actor.getPersistedSnapshot());
        const copied = effects.map((e) => (0, json_copy_1.jsonCopy)(e));
        // Settled: nothing runs in the actor tree and its clock fires nothing, so the actor is left to
        // the garbage collector; stopping it would only walk its states once more.
        finished = true;
        const result = {
            status: 'ok',
            snapshot: persisted,
            effects: copied,
            timers,
            droppedTimers: dropped,
        };
        if (restartReason)
            result.restartReason = restartReason;
        return result;
    }
    catch (e) {
        // Serialisation of the snapshot or effects failed (not JSON), or xstate threw synchronously.
        return fail('error', `the turn failed: ${message(e)}`, e);
    }
    finally {
        if (!finished)
            actor.stop();
    }
}
