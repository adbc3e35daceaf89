import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FileTooLargeError, downloadBotFile, downloadFile } from '../../src/bitrix/download-file';
import { isHttpError } from '../../src/bitrix/rest-errors';

let server: Server;
let base: string;
const bodies = { small: Buffer.alloc(1000, 7), big: Buffer.alloc(64 * 1024, 9) };
let stalled: Array<() => void> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/small') {
      res.writeHead(200, {
        'content-type': 'image/png',
        'content-length': String(bodies.small.length),
        'content-disposition': 'attachment; filename="photo.png"',
      });
      res.end(bodies.small);
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-length': String(bodies.big.length) });
      res.end(bodies.big);
    } else if (req.url === '/big-chunked') {
      // No Content-Length: the limit must hold while reading.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let i = 0; i < 16; i++) res.write(Buffer.alloc(4096, i));
      res.end();
    } else if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      stalled.push(() => res.end());
    } else {
      res.writeHead(404).end('no');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  stalled.forEach((end) => end());
  stalled = [];
  await new Promise<void>((r) => server.close(() => r()));
});

describe('downloadFile', () => {
  it('downloads a file within its limit, with type and name', async () => {
    const file = await downloadFile({ url: `${base}/small`, maxBytes: 1000 });
    expect(file.size).toBe(1000);
    expect(file.data.equals(bodies.small)).toBe(true);
    expect(file.contentType).toBe('image/png');
    expect(file.name).toBe('photo.png');
  });

  it('refuses a file whose announced size is over the limit with FileTooLargeError', async () => {
    const err = await downloadFile({ url: `${base}/big`, maxBytes: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect(err).toMatchObject({ code: 'FILE_TOO_LARGE', limit: 1000, size: 64 * 1024 });
  });

  it('cuts a file without Content-Length as soon as it passes the limit', async () => {
    const err = await downloadFile({ url: `${base}/big-chunked`, maxBytes: 10_000 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect((err as FileTooLargeError).limit).toBe(10_000);
  });

  it('gives up after the timeout with an HttpError TIMEOUT', async () => {
    const err = await downloadFile({ url: `${base}/stall`, timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(isHttpError(err) && err.code).toBe('TIMEOUT');
  });

  it('reports a refused download with its status and without the URL', async () => {
    const err = await downloadFile({ url: `${base}/missing?token=secret-token-1` }).catch(
      (e: unknown) => e,
    );
    expect(isHttpError(err) && err.status).toBe(404);
    expect(JSON.stringify(err)).not.toContain('secret-token-1');
    expect(String((err as Error).message)).not.toContain('secret-token-1');
  });
});

describe('downloadBotFile', () => {
  it('asks imbot.v2.File.download for the link, then downloads within the limit', async () => {
    const calls: Array<[string, unknown]> = [];
    const client = {
      call: <T>(method: string, params?: Record<string, unknown>): Promise<T> => {
        calls.push([method, params]);
        return Promise.resolve({ downloadUrl: `${base}/small` } as T);
      },
    };
    const file = await downloadBotFile({ client, botId: 571, fileId: 42, maxBytes: 1000 });
    expect(calls).toEqual([['imbot.v2.File.download', { botId: 571, fileId: 42 }]]);
    expect(file.data.equals(bodies.small)).toBe(true);
    const big = { call: <T>() => Promise.resolve({ downloadUrl: `${base}/big` } as T) };
    await expect(
      downloadBotFile({ client: big, botId: 571, fileId: 43, maxBytes: 1000 }),
    ).rejects.toBeInstanceOf(FileTooLargeError);
  });
});
