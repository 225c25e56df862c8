/**
 * @module formats/common/testing/field-damage
 * Damage to one field of a valid log line whose effect is known in advance (test helper, not production
 * code): a number written in the line (`200`, `0.086`, `-1`) is made into text no number parser may accept
 * (`200x`, `0.086..`, `200e`, `+-200`). A correct parser rejects the line naming the numeric field the token
 * belongs to (or the text field with a documented set of values it belongs to), or, when the token was text
 * inside a string field, keeps the damage in that string.
 */
import fc from 'fast-check';
import { Rejection, SKIP } from '../../types.js';

/** One whole, unquoted, decimal-number token of a line and where it is. */
export interface NumberToken {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** A line with one number token damaged. */
export interface DamagedLine {
  readonly original: string;
  readonly text: string;
  /** The token as it was, and as it is now. */
  readonly token: string;
  readonly damaged: string;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Ways to turn a number token into a non-number. */
export const NUMBER_DAMAGES: ReadonlyArray<(token: string) => string> = [
  (t) => `${t}x`,
  (t) => `${t}..`,
  (t) => `${t}e`,
  (t) => `+-${t}`,
  (t) => `${t.slice(0, -1)}O`,
];

/** The decimal-number tokens of `line` when split on `separator` (quotes are not interpreted). */
export function numberTokens(line: string, separator: string): NumberToken[] {
  const tokens: NumberToken[] = [];
  let start = 0;
  for (const text of line.split(separator)) {
    if (NUMBER.test(text)) tokens.push({ text, start, end: start + text.length });
    start += text.length + separator.length;
  }
  return tokens;
}

/** Lines from `lines` (those with a number token) with one number token damaged. */
export function damagedLine(lines: readonly string[], separator: string): fc.Arbitrary<DamagedLine> {
  const candidates = lines
    .map((line) => ({ line, tokens: numberTokens(line, separator) }))
    .filter((candidate) => candidate.tokens.length > 0);
  if (candidates.length === 0) throw new Error('damagedLine: no line has a number token to damage');
  return fc.tuple(fc.constantFrom(...candidates), fc.nat(), fc.constantFrom(...NUMBER_DAMAGES)).map(([candidate, pick, damage]) => {
    const token = candidate.tokens[pick % candidate.tokens.length]!;
    const damaged = damage(token.text);
    return {
      original: candidate.line,
      text: candidate.line.slice(0, token.start) + damaged + candidate.line.slice(token.end),
      token: token.text,
      damaged,
    };
  });
}

/**
 * What a damaged number token must lead to: a rejection whose field is a numeric field holding that number in
 * the intact record and whose reason names the field and shows the damaged text; or, when the token was text
 * inside a string (or JSON) field, a record that differs from the intact one only in fields now holding the
 * damaged text.
 */
export function expectDamageReported(
  damage: DamagedLine,
  result: unknown,
  intact: Record<string, unknown>,
  fields: readonly { name: string; type: string }[],
): void {
  const context = `${damage.token} -> ${damage.damaged} in ${damage.original}`;
  if (result === SKIP) throw new Error(`a damaged line was skipped (${context})`);
  if (result instanceof Rejection) {
    const field = fields.find((candidate) => candidate.name === result.field);
    expect({ context, field: result.field, declared: field !== undefined }).toEqual({ context, field: result.field, declared: true });
    expect({ context, reason: result.reason }).toEqual({
      context,
      reason: expect.stringMatching(new RegExp(`^${result.field!}: .*${escapeRegExp(damage.damaged)}`)),
    });
    if (field!.type === 'string') {
      // A text field with a documented set of values that happen to look like numbers (NLB `version` 2.0).
      expect({ context, reason: result.reason, intact: intact[field!.name] }).toEqual({
        context,
        reason: expect.stringMatching(/ is not one of /),
        intact: damage.token,
      });
      return;
    }
    expect({ context, type: field!.type, intact: intact[field!.name] }).toEqual({
      context,
      type: expect.stringMatching(/^(int32|int64|double)$/),
      intact: Number(damage.token),
    });
    return;
  }
  const record = result as Record<string, unknown>;
  const changed = fields.filter((field) => JSON.stringify(record[field.name]) !== JSON.stringify(intact[field.name]));
  expect({ context, changed: changed.length > 0 }).toEqual({ context, changed: true });
  for (const field of changed) {
    expect({
      context,
      field: field.name,
      type: field.type,
      holdsDamage: JSON.stringify(record[field.name]).includes(damage.damaged),
    }).toEqual({ context, field: field.name, type: expect.stringMatching(/^(string|json)$/), holdsDamage: true });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
