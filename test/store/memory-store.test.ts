import { memoryStore } from '../../src/store/memory-store';
import { runStoreContract } from './contract';

runStoreContract('memoryStore', () => memoryStore());

describe('memoryStore', () => {
  it('reports its kind', () => {
    expect(memoryStore().kind).toBe('memory');
  });
});
