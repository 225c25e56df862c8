import fc from 'fast-check';
import { isInvalidNumber, parseFloatSpan, parseInt32Span, parseIntSpan } from './numbers.js';

const whole = (parse: (text: string, start: number, end: number) => number) => (text: string) => parse(text, 0, text.length);

describe('parseIntSpan', () => {
  it('reads signed decimal integers in place, leading zeros included', () => {
    expect(parseIntSpan('x 404 y', 2, 5)).toBe(404);
    expect(whole(parseIntSpan)('-1')).toBe(-1);
    expect(whole(parseIntSpan)('000')).toBe(0);
  });

  it('returns the NaN sentinel for empty, signed-only, fractional, exponent and unsafe values', () => {
    for (const text of ['', '-', '+5', '1.5', '1e3', ' 1', '9007199254740993'])
      expect(isInvalidNumber(whole(parseIntSpan)(text))).toBe(true);
  });

  it('agrees with Number for every safe integer', () => {
    fc.assert(fc.property(fc.maxSafeInteger(), (value) => expect(whole(parseIntSpan)(String(value))).toBe(value)));
  });
});

describe('parseInt32Span', () => {
  it('rejects values outside the signed 32-bit range', () => {
    expect(whole(parseInt32Span)('2147483647')).toBe(2147483647);
    expect(isInvalidNumber(whole(parseInt32Span)('2147483648'))).toBe(true);
    expect(isInvalidNumber(whole(parseInt32Span)('99999999999999'))).toBe(true);
  });
});

describe('parseFloatSpan', () => {
  it('reads decimals exactly as Number does', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = String(value);
        expect(whole(parseFloatSpan)(text)).toBe(Number(text));
      }),
    );
    for (const text of ['0.000', '0.086', '-1', '12.3456789', '1.5e-3', '+2']) expect(whole(parseFloatSpan)(text)).toBe(Number(text));
  });

  it('returns the NaN sentinel for text that is not a finite decimal', () => {
    for (const text of ['', '-', '.', 'NaN', 'Infinity', '0x10', '1.2.3', '1e', '1e+', '5 ', '1e999'])
      expect(isInvalidNumber(whole(parseFloatSpan)(text))).toBe(true);
  });
});
