/**
 * One serving process of the shared-portal acceptance tests (run through tsx, not a test file):
 * the real server (`createServer`) on the Redis store, in webhook or app mode, serving the
 * support bot or the durability tests' ack bot, with its REST clients pointed at the parent's
 * fake portal. Several of these share one Redis prefix, as processes behind a balancer do.
 *
 * Protocol on stdout: `LISTENING <url>` once the server accepts events. Logs (warn and above)
 * go to stderr.
 */
import { writeSync } from 'node:fs';
import supportBot from '../../../bots/support/bot';
import { loadConfig } from '../../../src/config/load-config';
import { createServer } from '../../../src/http/create-server';
import { createLogger } from '../../../src/logger';
import { ackBot } from '../helpers/ack-bot';

/** The JSON argument of the child. */
export interface SharedPortalChildArgs {
  /** `redis://host:port?prefix=<prefix>`. */
  store: string;
  bot: 'support' | 'ack';
  /** The portal's request limit, as `B24_RATE_BURST` / `B24_RATE_PER_SECOND`. */
  rate: { burst: number; perSecond: number };
  webhook?: { url: string; botToken: string; memberId: string };
  app?: { clientId: string; clientSecret: string };
}

async function main(args: SharedPortalChildArgs): Promise<void> {
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  const mode: Record<string, string> = args.webhook
    ? {
        B24_WEBHOOK_URL: args.webhook.url,
        B24_BOT_TOKEN: args.webhook.botToken,
        B24_MEMBER_ID: args.webhook.memberId,
      }
    : {
        B24_APP_CLIENT_ID: args.app?.clientId ?? '',
        B24_APP_CLIENT_SECRET: args.app?.clientSecret ?? '',
        PUBLIC_URL: 'http://127.0.0.1:9',
      };
  const config = loadConfig({
    env: {
      ...mode,
      OPENLINES_STORE: args.store,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      B24_RATE_BURST: String(args.rate.burst),
      B24_RATE_PER_SECOND: String(args.rate.perSecond),
    },
  });
  const server = createServer({
    bots: [args.bot === 'support' ? supportBot : ackBot],
    config,
    logger,
  });
  const { url } = await server.listen(0, '127.0.0.1');
  writeSync(1, `LISTENING ${url}\n`);
  // The parent going away (stdin closed) ends the process.
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(3));
}

main(JSON.parse(process.argv[2] ?? '{}') as SharedPortalChildArgs).catch((e: unknown) => {
  process.stderr.write(
    `child failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(2);
});
