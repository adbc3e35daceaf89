import nock from 'nock';

/** Real network is off; only 127.0.0.1 (loopback servers) may be reached. */
export function useNock(): typeof nock {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
  return nock;
}

export interface RecordedCall {
  method: 'GET' | 'POST';
  path: string;
  body: Record<string, unknown>;
}

/** Parses a nock request body (string or already-parsed JSON). */
export function bodyOf(body: unknown): Record<string, unknown> {
  if (typeof body === 'string') return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  return (body ?? {}) as Record<string, unknown>;
}
