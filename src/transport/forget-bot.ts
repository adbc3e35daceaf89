/**
 * The portal deleted a bot (`ONIMBOTDELETE`, `ONIMBOTV2DELETE`): its id is dropped from the portal
 * record, so nothing keeps addressing it. Its dialogs stay in the store.
 */
import type { Store } from '../store/store';

/** Options of {@link forgetBot}. */
export interface ForgetBotOptions {
  store: Pick<Store, 'getPortal' | 'savePortal'>;
  memberId: string;
  botId: number;
  now: number;
}

/**
 * Removes every bot code mapped to `botId` from the portal record; true when something changed.
 *
 * @example
 * await forgetBot({ store, memberId: event.portal.memberId, botId: event.bot.id, now: clock.now() });
 */
export async function forgetBot(options: ForgetBotOptions): Promise<boolean> {
  const record = await options.store.getPortal(options.memberId);
  if (!record) return false;
  const bots = Object.fromEntries(
    Object.entries(record.bots).filter(([, b]) => b.id !== options.botId),
  );
  if (Object.keys(bots).length === Object.keys(record.bots).length) return false;
  await options.store.savePortal({ ...record, bots, updatedAt: options.now });
  return true;
}
