import { describe, expect, it } from '@jest/globals';
import { parseTableName, quoteConfigLiteral, quoteIdentifier } from './sql-identifier.js';

describe('quoteIdentifier', () => {
  it('doubles embedded double quotes so a name cannot close its quoting', () => {
    expect(quoteIdentifier('a"; DROP TABLE t; --')).toBe('"a""; DROP TABLE t; --"');
  });

  it('rejects NUL, empty names and names PostgreSQL would truncate', () => {
    expect(() => quoteIdentifier('a\0b')).toThrow(/NUL/);
    expect(() => quoteIdentifier('')).toThrow(/empty/);
    expect(() => quoteIdentifier('x'.repeat(64))).toThrow(/longer than 63 bytes/);
    expect(quoteIdentifier('x'.repeat(63))).toHaveLength(65);
  });
});

describe('parseTableName', () => {
  it('splits schema and table at the dot', () => {
    expect(parseTableName('audit.events')).toEqual({ schema: 'audit', name: 'events' });
    expect(parseTableName('events')).toEqual({ schema: undefined, name: 'events' });
  });

  it('rejects more than one dot or an empty part', () => {
    expect(() => parseTableName('a.b.c')).toThrow(/"table" or "schema.table"/);
    expect(() => parseTableName('.b')).toThrow(/"table" or "schema.table"/);
  });
});

describe('quoteConfigLiteral', () => {
  it('doubles single quotes and refuses backslashes and control characters', () => {
    expect(quoteConfigLiteral("s3://b/it's", 'uri')).toBe("'s3://b/it''s'");
    expect(() => quoteConfigLiteral('a\\b', 'uri')).toThrow(/backslash/);
    expect(() => quoteConfigLiteral('a\nb', 'uri')).toThrow(/control/);
  });
});
