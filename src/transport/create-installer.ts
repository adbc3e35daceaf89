/**
 * Installation of the OAuth app on a portal: register the app's bots there, bind the uninstall
 * event, and only then store the portal's tokens and application token.
 *
 * Proof: the tokens are used (bot registration) before anything is stored, and for a portal we
 * already know they are used against the STORED client endpoint. So a forged install request for
 * a known `member_id` cannot replace its application token: it would need a working access token
 * of that very portal.
 */
import { isApiError, isHttpError } from '../bitrix/rest-errors';
import { registerSecret } from '../errors';
import { ensureBotRegistered } from '../bitrix/register-bot';
import type { OAuthTokens } from '../bitrix/oauth-auth';
import type { Clock } from '../clock';
import type { BotDefinition } from '../dsl/define-bot';
import type { EventMode } from '../config/load-config';
import type { Logger } from '../logger';
import type { PortalRecord, Store } from '../store/store';
import type { BitrixClient, PortalRegistry } from '../portals/create-portal-registry';
import type { InstallInput } from './parse-install-request';

export type InstallResult =
  | { status: 'installed'; record: PortalRecord }
  | { status: 'refused'; reason: string }
  | { status: 'failed'; reason: string };

/** Options of {@link createInstaller}. */
export interface InstallerOptions {
  bots: ReadonlyArray<
    Pick<BotDefinition, 'code' | 'name' | 'apiVersion' | 'properties' | 'commands'>
  >;
  store: Pick<Store, 'getPortal' | 'savePortal' | 'deletePortal'>;
  portals: Pick<PortalRegistry, 'oauthClient' | 'forget'>;
  eventMode: EventMode;
  /** Base URL of this server; events go to `<publicUrl>/events`. Required for webhook event mode. */
  publicUrl?: string;
  clock: Clock;
  logger: Logger;
  /** Replaces `ensureBotRegistered` (tests). */
  register?: typeof ensureBotRegistered;
  onInstalled?: (record: PortalRecord) => void | Promise<void>;
  onUninstalled?: (memberId: string) => void | Promise<void>;
}

/** Installs and uninstalls portals. */
export interface Installer {
  install(input: InstallInput): Promise<InstallResult>;
  /** Forgets the portal's credentials (its dialogs stay in the store). */
  uninstall(memberId: string): Promise<void>;
}

const AUTH_ERRORS = new Set([
  'NO_AUTH_FOUND',
  'INVALID_TOKEN',
  'invalid_token',
  'expired_token',
  'INVALID_CREDENTIALS',
  'WRONG_AUTH_TYPE',
]);

/**
 * Creates the installer used by `POST /install` and the `ONAPPINSTALL`/`ONAPPUNINSTALL` events.
 *
 * @example
 * const installer = createInstaller({ bots, store, portals, eventMode: 'webhook', publicUrl, clock, logger });
 * const result = await installer.install(parseInstallRequest({ body, now: Date.now() }).input);
 */
export function createInstaller(options: InstallerOptions): Installer {
  const { store, portals, clock, logger } = options;
  const register = options.register ?? ensureBotRegistered;
  const handlerUrl = options.publicUrl ? `${options.publicUrl}/events` : undefined;

  async function bindLifecycle(
    client: BitrixClient,
    needInstallEvent: boolean,
    memberId: string,
  ): Promise<void> {
    if (!handlerUrl) return;
    const events = needInstallEvent ? ['ONAPPUNINSTALL', 'ONAPPINSTALL'] : ['ONAPPUNINSTALL'];
    for (const event of events) {
      try {
        await client.call('event.bind', { event, handler: handlerUrl });
      } catch (e) {
        // Already bound on a re-install is the common case; anything else only costs us the event.
        logger.warn({ err: e, portal: memberId, event }, 'event.bind failed');
      }
    }
  }

  return {
    async install(input) {
      for (const secret of [input.accessToken, input.refreshToken, input.applicationToken])
        registerSecret(secret);
      const existing = await store.getPortal(input.memberId);
      if (options.eventMode === 'webhook' && !handlerUrl)
        return { status: 'failed', reason: 'PUBLIC_URL is not configured' };
      let tokens: OAuthTokens = {
        memberId: input.memberId,
        domain: input.domain,
        clientEndpoint: existing?.clientEndpoint ?? input.clientEndpoint,
        ...(input.serverEndpoint ? { serverEndpoint: input.serverEndpoint } : {}),
        accessToken: input.accessToken,
        refreshToken: input.refreshToken,
        ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
      };
      const client = portals.oauthClient({
        tokens,
        onTokens: async (t) => {
          tokens = t;
        },
      });
      const bots: PortalRecord['bots'] = { ...(existing?.bots ?? {}) };
      try {
        for (const bot of options.bots) {
          const id = await register(client.api, {
            code: bot.code,
            name: bot.name,
            apiVersion: bot.apiVersion,
            mode: options.eventMode,
            ...(options.eventMode === 'webhook' && handlerUrl ? { url: handlerUrl } : {}),
            properties: { ...bot.properties },
            ...(bot.commands ? { commands: bot.commands } : {}),
          });
          bots[bot.code] = { id, apiVersion: bot.apiVersion };
        }
      } catch (e) {
        const auth =
          (isApiError(e) && (e.status === 401 || AUTH_ERRORS.has(e.error))) ||
          (isHttpError(e) && e.status === 401);
        logger.warn(
          { err: e, portal: input.memberId },
          auth
            ? 'install refused: the tokens do not work on this portal'
            : 'install failed: bot registration failed',
        );
        return auth
          ? { status: 'refused', reason: 'the tokens were refused by the portal' }
          : { status: 'failed', reason: 'bot registration failed' };
      }
      const applicationToken = input.applicationToken ?? existing?.applicationToken;
      await bindLifecycle(client, applicationToken === undefined, input.memberId);
      const now = clock.now();
      const record: PortalRecord = {
        memberId: input.memberId,
        domain: input.domain,
        clientEndpoint: tokens.clientEndpoint,
        ...(tokens.serverEndpoint ? { serverEndpoint: tokens.serverEndpoint } : {}),
        ...(applicationToken ? { applicationToken } : {}),
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
        ...(input.scope ? { scope: input.scope } : {}),
        bots,
        installedAt: existing?.installedAt ?? now,
        updatedAt: now,
      };
      await store.savePortal(record);
      portals.forget(input.memberId);
      logger.info(
        {
          portal: input.memberId,
          bots: Object.fromEntries(Object.entries(bots).map(([c, b]) => [c, b.id])),
        },
        'portal installed',
      );
      await options.onInstalled?.(record);
      return { status: 'installed', record };
    },

    async uninstall(memberId) {
      await store.deletePortal(memberId);
      portals.forget(memberId);
      await options.onUninstalled?.(memberId);
    },
  };
}
