import { memoryStore } from '../../src/store/memory-store';
import { runStoreContract } from './contract';

runStoreContract('memoryStore', () => memoryStore(), { inlineTurns: true });

describe('memoryStore', () => {
  it('reports its kind', () => {
    expect(memoryStore().kind).toBe('memory');
  });
});
