"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.instrumentMachine = instrumentMachine;
function observed(snapshot) {
    const s = snapshot;
    return { value: s.value, context: s.context, status: s.status };
}
/**
 * Returns a machine that behaves exactly like `machine` and reports to `observer`.
 *
 * @example
 * const watched = instrumentMachine(bot.machine, { start: (s) => seen.push(s.value), step: (t, s) => seen.push(s.value) });
 * createActor(watched).start();
 */
function instrumentMachine(machine, observer) {
    const wrapper = Object.create(machine);
    const attach = (scope) => {
        const system = scope?.system;
        if (typeof system?.inspect !== 'function')
            return;
        system.inspect((e) => {
            if (e.type !== '@xstate.microstep' || e.actorRef !== scope?.self)
                return;
            observer.step(e._transitions, observed(e.snapshot));
        });
    };
    const getInitialSnapshot = function (scope, input) {
        attach(scope);
        const snapshot = machine.getInitialSnapshot.call(this, scope, input);
        observer.start(observed(snapshot));
        return snapshot;
    };
    const restoreSnapshot = function (snapshot, scope) {
        attach(scope);
        const restored = machine.restoreSnapshot.call(this, snapshot, scope);
        observer.start(observed(restored));
        return restored;
    };
    Object.defineProperties(wrapper, {
        getInitialSnapshot: { value: getInitialSnapshot },
        restoreSnapshot: { value: restoreSnapshot },
    });
    return wrapper;
}
