/**
 * The one contract suite every `Store` adapter runs. Each guarantee of `src/store/store.ts` has a
 * test here, so an adapter that passes can replace another without the runtime noticing.
 */
import type { Store } from '../../src/store/store';
import { coordinationContract } from './contract-coordination';
import { dialogContract } from './contract-dialogs';
import { historyContract } from './contract-history';
import type { ContractContext } from './contract-helpers';
import { inboxContract } from './contract-inbox';
import { inlineContract } from './contract-inline';
import { housekeepingContract } from './contract-housekeeping';
import { outboxContract } from './contract-outbox';
import { takeoverContract } from './contract-takeover';
import { timerContract } from './contract-timers';

export interface StoreContractOptions {
  /** Closes `store` and opens the same storage again; enables the persistence tests. */
  reopen?: (store: Store) => Promise<Store>;
  /**
   * A reopen is a new life of the only process using the storage (SQLite): the leases of the
   * previous one are released. Otherwise (Redis, shared by processes) they survive a reopen.
   */
  reopenReleasesLeases?: boolean;
  /** The adapter has `commitInlineTurn` (memory, SQLite): its contract runs too. */
  inlineTurns?: boolean;
}

/**
 * Defines the jest suite `describe(name)` that checks an adapter against the `Store` contract.
 *
 * @example
 * runStoreContract('memoryStore', () => memoryStore());
 */
export function runStoreContract(
  name: string,
  makeStore: () => Promise<Store> | Store,
  options: StoreContractOptions = {},
): void {
  describe(name, () => {
    let current: Store | undefined;

    beforeEach(async () => {
      current = await makeStore();
    });

    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    const ctx: ContractContext = {
      store: () => {
        if (!current)
          throw new Error(
            'no store: the contract suite runs its tests inside beforeEach/afterEach',
          );
        return current;
      },
      reopen: options.reopen
        ? async () => {
            current = await options.reopen!(ctx.store());
            return current;
          }
        : undefined,
      reopenReleasesLeases: options.reopenReleasesLeases === true,
    };

    inboxContract(ctx);
    dialogContract(ctx);
    timerContract(ctx);
    outboxContract(ctx);
    housekeepingContract(ctx);
    historyContract(ctx);
    takeoverContract(ctx);
    coordinationContract(ctx);
    if (options.inlineTurns) inlineContract(ctx);
  });
}
