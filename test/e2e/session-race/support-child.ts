/**
 * A serving process for the session-race tests (run through tsx, not a test file): the real
 * server (`createServer`, configured by `loadConfig` from the environment given as JSON) serving
 * `bots/support` under the bot code of the captured real bodies.
 *
 * Protocol on stdout: `LISTENING <url>` once the server accepts events. SIGTERM closes it.
 */
import { writeSync } from 'node:fs';
import { createSupportBot } from '../../../bots/support/bot';
import { loadConfig } from '../../../src/config/load-config';
import { createServer } from '../../../src/http/create-server';
import { createLogger } from '../../../src/logger';

interface SupportChildArgs {
  env: Record<string, string>;
  botCode: string;
}

async function main(args: SupportChildArgs): Promise<void> {
  const config = loadConfig({ env: { HOST: '127.0.0.1', PORT: '0', ...args.env } });
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  const server = createServer({ bots: [createSupportBot({ code: args.botCode })], config, logger });
  const { url } = await server.listen(0, '127.0.0.1');
  writeSync(1, `LISTENING ${url}\n`);
  process.once('SIGTERM', () => {
    void server.close({ deadlineMs: 3000 }).then(() => process.exit(0));
  });
}

main(JSON.parse(process.argv[2] ?? '{}') as SupportChildArgs).catch((e: unknown) => {
  process.stderr.write(`support child failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
