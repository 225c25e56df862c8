import { escapePartitionValue, HIVE_NULL_PARTITION, looksShortened } from './hive-escape.js';

describe('escapePartitionValue', () => {
  it('escapes what could add or climb a directory level, and keeps spaces and letters', () => {
    expect(escapePartitionValue('a/b')).toBe('a%2Fb');
    expect(escapePartitionValue('..')).toBe('..');
    expect(escapePartitionValue('eu west é')).toBe('eu west é');
    expect(escapePartitionValue('')).toBe(HIVE_NULL_PARTITION);
    expect(escapePartitionValue(null)).toBe(HIVE_NULL_PARTITION);
  });

  it('names a shortened value the same in every version (a rerun must land in the same folder)', () => {
    // Pinned: the hash suffix is FNV-1a of the full value; a change of hash would move existing outputs.
    const long = `${'k'.repeat(120)}/${'é'.repeat(200)}`;
    const name = escapePartitionValue(long);
    expect(name.endsWith('~5219279e')).toBe(true);
    expect(escapePartitionValue(`region=${'x'.repeat(300)}`).endsWith('~bfd2aa60')).toBe(true);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(looksShortened(name)).toBe(true);
  });
});
