import { readEventPage } from '../../src/transport/read-event-page';
import { isEventValidationError } from '../../src/events/event-validation-error';

describe('readEventPage', () => {
  it('reads events, nextOffset and hasMore', () => {
    expect(readEventPage({ events: [{ eventId: 5 }], nextOffset: 6, hasMore: true })).toEqual({
      events: [{ eventId: 5 }],
      nextOffset: 6,
      hasMore: true,
    });
  });

  it('treats the empty queue answer nextOffset 0 as "no offset" (never a regression to 0)', () => {
    expect(readEventPage({ events: [], nextOffset: 0, hasMore: false })).toEqual({
      events: [],
      nextOffset: undefined,
      hasMore: false,
    });
  });

  it('falls back to the retired lastEventId (+1) and accepts string scalars', () => {
    expect(readEventPage({ events: [], lastEventId: '41', hasMore: 'N' })).toEqual({
      events: [],
      nextOffset: 42,
      hasMore: false,
    });
    expect(readEventPage({ events: [], nextOffset: '7', hasMore: 'Y' })).toEqual({
      events: [],
      nextOffset: 7,
      hasMore: true,
    });
  });

  it('throws EventValidationError for an answer it does not understand', () => {
    for (const bad of [
      null,
      'x',
      { events: 'nope' },
      { events: [], nextOffset: -1 },
      { events: [], hasMore: 'maybe' },
    ]) {
      let error: unknown;
      try {
        readEventPage(bad);
      } catch (e) {
        error = e;
      }
      expect(isEventValidationError(error)).toBe(true);
    }
  });
});
