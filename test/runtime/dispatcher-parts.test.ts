import { ApiError, HttpError } from '../../src/bitrix/rest-errors';
import { ConfigError } from '../../src/errors';
import { backoffDelay } from '../../src/runtime/backoff';
import { createClaimBook } from '../../src/runtime/claim-book';
import { classifyBatchError, classifyFailure } from '../../src/runtime/classify-failure';
import { createPortalQueue, enqueueEffects, pickRequest } from '../../src/runtime/portal-queue';
import type { OutboxEffect } from '../../src/store/store';

function effect(seq: number, chat: number, attempts = 0, portalId = 'p'): OutboxEffect {
  return {
    seq,
    dialogKey: `${portalId}:1:${chat}`,
    portalId,
    effect: { type: 'say', text: `${seq}` },
    attempts,
    availableAt: 0,
    createdAt: 0,
  };
}
const seqs = (list: OutboxEffect[]): number[] => list.map((e) => e.seq);

describe('backoffDelay', () => {
  it('doubles per attempt with equal jitter and stops at maxMs', () => {
    expect(backoffDelay({ attempt: 1, random: () => 0 })).toBe(500);
    expect(backoffDelay({ attempt: 1, random: () => 0.999999 })).toBe(1000);
    expect(backoffDelay({ attempt: 3, baseMs: 100, random: () => 0.5 })).toBe(300);
    expect(backoffDelay({ attempt: 40, maxMs: 8000, random: () => 1 })).toBe(8000);
  });
});

describe('classifyFailure', () => {
  it('follows the retryable flag of API errors', () => {
    expect(
      classifyFailure({
        error: new ApiError({ error: 'QUERY_LIMIT_EXCEEDED', status: 503, method: 'batch' }),
      }),
    ).toEqual({
      transient: true,
      code: 'QUERY_LIMIT_EXCEEDED',
      rateLimited: true,
    });
    expect(
      classifyFailure({
        error: new ApiError({ error: 'TOO_MANY_REQUESTS', status: 429, method: 'x' }),
      }),
    ).toMatchObject({ transient: true, rateLimited: true });
    expect(
      classifyFailure({
        error: new ApiError({ error: 'INTERNAL_SERVER_ERROR', status: 500, method: 'x' }),
      }).rateLimited,
    ).toBeUndefined();
    expect(
      classifyFailure({
        error: new ApiError({ error: 'OPERATION_TIME_LIMIT', status: 429, method: 'x' }),
      }).transient,
    ).toBe(true);
    expect(
      classifyFailure({
        error: new ApiError({ error: 'INTERNAL_SERVER_ERROR', status: 500, method: 'x' }),
      }).transient,
    ).toBe(true);
    expect(
      classifyFailure({
        error: new ApiError({
          error: 'WRONG_CHAT',
          description: 'Operator is not a bot',
          status: 400,
          method: 'x',
        }),
      }),
    ).toEqual({
      transient: false,
      code: 'WRONG_CHAT',
      description: 'Operator is not a bot',
    });
    expect(
      classifyFailure({ error: new ApiError({ error: 'ACCESS_DENIED', status: 403, method: 'x' }) })
        .transient,
    ).toBe(false);
  });

  it('retries network failures and unknown errors, never a call the client refused to send', () => {
    expect(
      classifyFailure({ error: new HttpError({ method: 'x', reason: 'ECONNRESET' }) }),
    ).toMatchObject({ transient: true, code: 'HTTP_ERROR' });
    expect(
      classifyFailure({
        error: new HttpError({ code: 'TIMEOUT', method: 'x', reason: 'timeout' }),
      }),
    ).toMatchObject({ transient: true, code: 'TIMEOUT' });
    expect(classifyFailure({ error: new Error('boom') })).toEqual({
      transient: true,
      code: 'UNEXPECTED',
      description: 'boom',
    });
    expect(classifyFailure({ error: new ConfigError(['bad method']) })).toMatchObject({
      transient: false,
      code: 'CONFIG',
    });
  });
});

describe('classifyBatchError', () => {
  it.each([
    ['QUERY_LIMIT_EXCEEDED', true],
    ['OPERATION_TIME_LIMIT', true],
    ['INTERNAL_SERVER_ERROR', true],
    ['WRONG_CHAT', false],
    ['OPERATOR_WRONG', false],
    ['ACCESS_DENIED', false],
  ])('treats %s as transient: %s', (error, transient) => {
    expect(classifyBatchError({ error }).transient).toBe(transient);
    expect(classifyBatchError({ error }).rateLimited === true).toBe(
      error === 'QUERY_LIMIT_EXCEEDED',
    );
  });
});

describe('pickRequest', () => {
  it('takes a per-dialog prefix in seq order and skips busy and held dialogs entirely', () => {
    const queue = createPortalQueue({ portalId: 'p' });
    enqueueEffects({
      queue,
      effects: [effect(5, 1), effect(1, 1), effect(2, 2), effect(3, 3), effect(4, 2), effect(6, 3)],
    });
    expect(seqs(queue.waiting)).toEqual([1, 2, 3, 4, 5, 6]);
    queue.busy.add('p:1:3');
    const picked = pickRequest({
      queue,
      max: 50,
      isHeld: (e) => e.dialogKey === 'p:1:2' && e.seq > 2,
    });
    expect(seqs(picked)).toEqual([1, 2, 5]);
    expect(seqs(queue.waiting)).toEqual([3, 4, 6]);
  });

  it('ends a dialog at a retried effect and stops at max', () => {
    const queue = createPortalQueue({ portalId: 'p' });
    enqueueEffects({
      queue,
      effects: [effect(1, 1, 2), effect(2, 1), effect(3, 2), effect(4, 3), effect(5, 4)],
    });
    expect(seqs(pickRequest({ queue, max: 50, isHeld: () => false, peek: true }))).toEqual([
      1, 3, 4, 5,
    ]);
    expect(seqs(pickRequest({ queue, max: 2, isHeld: () => false }))).toEqual([1, 3]);
    expect(seqs(queue.waiting)).toEqual([2, 4, 5]);
  });
});

describe('createClaimBook', () => {
  it('ignores an effect it already holds when a renewed claim returns it again', () => {
    const book = createClaimBook({ holdMs: 1000 });
    expect(book.admit([effect(1, 1), effect(2, 2)])).toBe(2);
    expect(book.admit([effect(1, 1), effect(3, 3)])).toBe(1);
    expect(seqs(book.queues.get('p')!.waiting)).toEqual([1, 2, 3]);
  });

  it('holds a dialog behind its retried effect until that effect is claimed again', () => {
    const book = createClaimBook({ holdMs: 1000 });
    book.admit([effect(1, 1), effect(2, 1), effect(3, 2)]);
    const q = book.queues.get('p')!;
    const [first] = pickRequest({ queue: q, max: 1, isHeld: book.isHeld });
    book.settling(first!, { status: 'retry', availableAt: 500 });
    expect(book.isHeld(effect(2, 1))).toBe(true);
    expect(book.sendableCount()).toBe(1);
    // While the retry is being written, a claim returning the same row is not admitted twice.
    expect(book.admit([effect(1, 1, 1)])).toBe(0);
    book.settled(first!);
    book.admit([effect(1, 1, 1)]);
    expect(book.isHeld(effect(2, 1))).toBe(false);
    expect(seqs(q.waiting)).toEqual([1, 2, 3]);
  });

  it('drops held effects when the retried one never comes back (another process took it)', () => {
    const book = createClaimBook({ holdMs: 1000 });
    book.admit([effect(1, 1), effect(2, 1), effect(3, 2)]);
    const q = book.queues.get('p')!;
    const [first] = pickRequest({ queue: q, max: 1, isHeld: book.isHeld });
    book.settling(first!, { status: 'retry', availableAt: 500 });
    expect(book.nextHoldExpiry()).toBe(1500);
    book.dropStaleHolds(1499);
    expect(seqs(q.waiting)).toEqual([2, 3]);
    book.dropStaleHolds(1500);
    expect(seqs(q.waiting)).toEqual([3]);
    // Dropped means no longer held: a later claim may hand it to us again.
    expect(book.admit([effect(2, 1)])).toBe(1);
  });

  it('hands back everything unsent', () => {
    const book = createClaimBook({ holdMs: 1000 });
    book.admit([effect(1, 1), effect(2, 2, 0, 'q')]);
    expect(seqs(book.takeUnsent()).sort()).toEqual([1, 2]);
    expect(book.hasSendable()).toBe(false);
  });
});
