import { DEFAULT_FALLBACK, fallbackEffects } from '../../src/runtime/fallback';
import { TurnError } from '../../src/runtime/turn-error';

const error = new TurnError({ dialogKey: 'm:1:2', botCode: 'b', reason: 'error', message: 'boom' });

describe('fallbackEffects', () => {
  it('defaults to an apology and a hand-off to operators', () => {
    expect(fallbackEffects({ error }).effects).toEqual([...DEFAULT_FALLBACK]);
    expect(DEFAULT_FALLBACK.map((e) => e.type)).toEqual(['say', 'toOperator']);
  });

  it('prefers the bot fallback over the runtime one, and honours false', () => {
    expect(fallbackEffects({ error, runtimeFallback: [{ type: 'finish' }] }).effects).toEqual([
      { type: 'finish' },
    ]);
    expect(
      fallbackEffects({
        error,
        runtimeFallback: [{ type: 'finish' }],
        botFallback: [{ type: 'toOperator' }],
      }).effects,
    ).toEqual([{ type: 'toOperator' }]);
    expect(
      fallbackEffects({ error, runtimeFallback: [{ type: 'finish' }], botFallback: false }).effects,
    ).toEqual([]);
  });

  it('calls a fallback function with the error and dialog, and uses the default when it throws', () => {
    const seen: string[] = [];
    expect(
      fallbackEffects({
        error,
        botFallback: ({ dialogKey, error: e }) => (
          seen.push(`${dialogKey} ${e.message}`),
          [{ type: 'typing' }]
        ),
      }).effects,
    ).toEqual([{ type: 'typing' }]);
    expect(seen).toEqual(['m:1:2 dialog m:1:2 (bot b): boom']);
    const r = fallbackEffects({
      error,
      botFallback: () => {
        throw new Error('bad fallback');
      },
    });
    expect(r.effects).toEqual([...DEFAULT_FALLBACK]);
    expect(r.fallbackError).toBeInstanceOf(Error);
  });
});

describe('TurnError', () => {
  it('carries the dialog key, bot and reason in its JSON', () => {
    expect(error.toJSON()).toEqual({
      name: 'TurnError',
      code: 'TURN_ERROR',
      message: 'dialog m:1:2 (bot b): boom',
      dialogKey: 'm:1:2',
      botCode: 'b',
      reason: 'error',
    });
  });
});
