import fc from 'fast-check';
import { isRight } from 'fp-ts/lib/Either.js';
import { bool, cidr, inputs, jsonObject, list, oneOf, positiveInt, text } from './param-codecs.js';
import { postgresConnection } from './postgres-connection.js';

const ipv4Cidr = fc
  .tuple(
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 32 }),
  )
  .map(([a, b, c, d, bits]) => `${a}.${b}.${c}.${d}/${bits}`);

function decoded<A>(codec: { decode(value: unknown): { _tag: 'Left' } | { _tag: 'Right'; right: A } }, value: unknown): A | 'invalid' {
  const result = codec.decode(value);
  return result._tag === 'Right' ? result.right : 'invalid';
}

describe('parameter codecs', () => {
  it('decode a comma list of CIDRs, one or many, with or without spaces, to the same list', () => {
    fc.assert(
      fc.property(fc.array(ipv4Cidr, { minLength: 1, maxLength: 6 }), fc.constantFrom(',', ', ', ' ,'), (blocks, separator) => {
        expect(decoded(list(cidr), blocks.join(separator))).toEqual(blocks);
        expect(decoded(list(cidr), JSON.stringify(blocks))).toEqual(blocks);
      }),
    );
  });

  it('reject a list with anything that is not a CIDR (the old "1" failure mode)', () => {
    expect(decoded(list(cidr), '10.0.0.0/16,1')).toBe('invalid');
    expect(decoded(list(cidr), '10.0.0.0/33')).toBe('invalid');
    expect(decoded(list(cidr), '')).toBe('invalid');
    expect(decoded(list(cidr), '2001:db8::/32')).toEqual(['2001:db8::/32']);
  });

  it('parse booleans, positive integers and words strictly', () => {
    expect([decoded(bool, 'true'), decoded(bool, 'no'), decoded(bool, 'maybe')]).toEqual([true, false, 'invalid']);
    expect([
      decoded(positiveInt, '300000'),
      decoded(positiveInt, '0'),
      decoded(positiveInt, '1.5'),
      decoded(positiveInt, '9007199254740993'),
    ]).toEqual([300000, 'invalid', 'invalid', 'invalid']);
    expect([decoded(oneOf(['day', 'hour'] as const), 'hour'), decoded(oneOf(['day', 'hour'] as const), 'week')]).toEqual([
      'hour',
      'invalid',
    ]);
    expect(decoded(text, '   ')).toBe('invalid');
  });

  it('read a postgres URL as a connection string, keeping its port, and JSON as parts', () => {
    expect(decoded(postgresConnection, 'postgres://user@host:55432/db')).toEqual({ connectionString: 'postgres://user@host:55432/db' });
    expect(decoded(postgresConnection, '{"host":"db","port":55432}')).toEqual({ host: 'db', port: 55432 });
    expect(decoded(postgresConnection, 'host=db')).toBe('invalid');
  });

  it('keep one input as a string and split several', () => {
    expect(decoded(inputs, 'samples/cur')).toBe('samples/cur');
    expect(decoded(inputs, 's3://a/x/, s3://b/y/')).toEqual(['s3://a/x/', 's3://b/y/']);
    expect(isRight(jsonObject('an object').decode('[1]'))).toBe(false);
  });
});
