/**
 * StringKeyTable (string-key-table.ts) must number string keys exactly as a `Map` would: the same key always
 * finds its number, a different key never does (whatever its characters: Latin-1, wider, empty, differing only
 * in the last character or in the high byte of one), and every key reads back as it went in.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { StringKeyTable } from './string-key-table.js';

/** Keys that stress equality: short alphabets (many near-misses), wide characters, high-byte twins. */
const keyArbitrary = fc.oneof(
  fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'b', '\u0001', '\u00ff') }),
  fc.string({ maxLength: 4, unit: fc.constantFrom('a', '\u0161', '\u0100', '\u0001', '\ud83d', '\ude00') }),
  fc.string({ maxLength: 80 }),
  fc.integer({ min: 0, max: 3000 }).map((i) => `473\u000110.0.${i % 256}.${i >> 8}\u0001\u0002n`),
);

/** Files each key as a Map would (new keys get the next number) and checks both agree at every step. */
function fileAll(table: StringKeyTable, keys: readonly string[]): Map<string, number> {
  const reference = new Map<string, number>();
  for (const key of keys) {
    const found = table.find(key);
    const expected = reference.get(key);
    expect(found).toBe(expected ?? -1);
    if (expected === undefined) {
      reference.set(key, reference.size);
      table.addPending(reference.size - 1);
    }
  }
  return reference;
}

describe('StringKeyTable', () => {
  it('numbers keys as a Map does and reads every key back', () => {
    fc.assert(
      fc.property(fc.array(keyArbitrary, { maxLength: 1500 }), (keys) => {
        const table = new StringKeyTable();
        const reference = fileAll(table, keys);
        expect(table.size).toBe(reference.size);
        for (const [key, group] of reference) {
          expect(table.keyOf(group)).toBe(key);
          expect(table.find(key)).toBe(group);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('finds a key given as its Latin-1 bytes under the number of the same key given as a string, and the reverse', () => {
    const latin1Key = fc.oneof(
      fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'b', '\u0001', '\u00e9', '\u00ff') }),
      fc.string({ maxLength: 60, unit: fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code)) }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(latin1Key, fc.boolean()), { maxLength: 800 }), (inputs) => {
        const table = new StringKeyTable();
        const reference = new Map<string, number>();
        const buffer = Buffer.alloc(256, 0x7a);
        for (const [key, asBytes] of inputs) {
          const found = asBytes ? table.findBytes(buffer, buffer.write(key, 'latin1')) : table.find(key);
          expect(found).toBe(reference.get(key) ?? -1);
          if (found < 0) {
            reference.set(key, reference.size);
            table.addPending(reference.size - 1);
          }
        }
        for (const [key, group] of reference) expect(table.keyOf(group)).toBe(key);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps keys apart that differ only in the high byte of one character', () => {
    const table = new StringKeyTable();
    // '\u0141' is 0x41 in its low byte, as 'A' is: stored wide, it must not match the Latin-1 'A' key.
    fileAll(table, ['A', '\u0141', 'xA', 'x\u0141', 'A\u0000', '\u4100', '\u0041\u0001']);
    expect(table.keyOf(0)).toBe('A');
    expect(table.keyOf(1)).toBe('\u0141');
    expect(table.keyOf(6)).toBe('A\u0001');
  });

  it('grows past its first slots and arena without losing a key (200,000 keys of ~60 characters)', () => {
    const table = new StringKeyTable();
    const key = (i: number) => `${473_000 + (i % 48)}\u000110.0.${i % 251}.${i % 241}\u0001eni-${i.toString(16).padStart(17, '0')}`;
    const wrong: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      if (table.find(key(i)) !== -1) wrong.push(`new key ${i} found`);
      table.addPending(i);
    }
    for (let i = 0; i < 200_000; i += 7) {
      if (table.find(key(i)) !== i) wrong.push(`key ${i} not found`);
      if (table.keyOf(i) !== key(i)) wrong.push(`key ${i} read back wrong`);
    }
    expect(wrong).toEqual([]);
    expect(table.size).toBe(200_000);
  });

  it('files an empty key, first or later', () => {
    const first = new StringKeyTable();
    fileAll(first, ['', 'a', '']);
    expect(first.keyOf(0)).toBe('');
    const later = new StringKeyTable();
    fileAll(later, ['a', '', 'b', '']);
    expect(later.keyOf(1)).toBe('');
  });

  it('answers undefined for a number it never filed (a group of a key that is not a string)', () => {
    const table = new StringKeyTable();
    table.find('a');
    table.addPending(0);
    table.find('b');
    table.addPending(2);
    expect(table.keyOf(1)).toBeUndefined();
    expect(table.keyOf(99)).toBeUndefined();
    expect(table.keyOf(2)).toBe('b');
  });

  it('reads groups back in order while letting go of the keys already read', () => {
    const table = new StringKeyTable();
    const key = (i: number) => `key-${i}-${'x'.repeat(i % 3000)}`;
    for (let i = 0; i < 5000; i++) {
      table.find(key(i));
      table.addPending(i);
    }
    for (let i = 0; i < 5000; i++) {
      expect(table.keyOf(i)).toBe(key(i));
      table.releaseKeysBefore(i);
    }
    // The first chunk is gone: asking for its keys is an error, not some other key's bytes.
    expect(() => table.keyOf(0)).toThrow(/let go of/);
  });

  it('refuses addPending without a key pending', () => {
    const table = new StringKeyTable();
    expect(() => table.addPending(0)).toThrow(/no key is pending/);
    table.find('a');
    table.addPending(0);
    expect(() => table.addPending(1)).toThrow(/no key is pending/);
  });
});
