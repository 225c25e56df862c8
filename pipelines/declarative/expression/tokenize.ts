/**
 * @module declarative/expression/tokenize
 * Cuts an expression into tokens: numbers, strings ('…' or "…" with backslash escapes), identifiers
 * (letters, digits, `_`, `$`; or any text in backquotes for odd column names), keywords and operators.
 */
import { ExpressionError } from './ast.js';

/** The kinds of token. Keywords (`and`, `or`, `not`, `in`, `true`, `false`, `null`) come out as `keyword`. */
export type TokenKind = 'number' | 'string' | 'identifier' | 'keyword' | 'operator' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The token's text; for strings the decoded value, for numbers the literal text. */
  readonly text: string;
  /** 0-based offset in the source. */
  readonly position: number;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);
const TWO_CHAR_OPERATORS = new Set(['==', '!=', '<=', '>=', '&&', '||']);
const ONE_CHAR_OPERATORS = new Set(['<', '>', '+', '-', '*', '/', '%', '(', ')', '[', ']', ',', '.', '!', '=']);
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };

function isIdentifierStart(char: string): boolean {
  return (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || char === '_' || char === '$';
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}

/**
 * The tokens of `source`, ending with an `end` token. Throws `ExpressionError` for an unterminated string,
 * a malformed number or a character that is not part of the language.
 * @example tokenize('a >= 2').map((t) => t.text) // ['a', '>=', '2', '']
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      i++;
    } else if (isDigit(char) || (char === '.' && isDigit(source[i + 1] ?? ''))) {
      const start = i;
      while (i < source.length && (isDigit(source[i]!) || source[i] === '.' || source[i] === '_')) i++;
      if ((source[i] === 'e' || source[i] === 'E') && /[-+\d]/.test(source[i + 1] ?? '')) {
        i += 2;
        while (i < source.length && isDigit(source[i]!)) i++;
      }
      const text = source.slice(start, i).replace(/_/g, '');
      if (!Number.isFinite(Number(text)) || text.endsWith('.'))
        throw new ExpressionError(`malformed number "${source.slice(start, i)}"`, source, start);
      if (i < source.length && isIdentifierStart(source[i]!))
        throw new ExpressionError(`a number cannot be followed by "${source[i]}"`, source, i);
      tokens.push({ kind: 'number', text, position: start });
    } else if (char === '"' || char === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= source.length) throw new ExpressionError('unterminated string (add the closing quote)', source, start);
        const c = source[i]!;
        if (c === char) break;
        if (c === '\\') {
          const escaped = ESCAPES[source[i + 1] ?? ''];
          if (escaped === undefined)
            throw new ExpressionError(`unknown escape "\\${source[i + 1] ?? ''}" (use \\n, \\t, \\\\ or a quote)`, source, i);
          value += escaped;
          i += 2;
        } else {
          value += c;
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'string', text: value, position: start });
    } else if (char === '`') {
      const end = source.indexOf('`', i + 1);
      if (end < 0) throw new ExpressionError('unterminated `quoted name` (add the closing backquote)', source, i);
      if (end === i + 1) throw new ExpressionError('empty `quoted name`', source, i);
      tokens.push({ kind: 'identifier', text: source.slice(i + 1, end), position: i });
      i = end + 1;
    } else if (isIdentifierStart(char)) {
      const start = i;
      while (i < source.length && (isIdentifierStart(source[i]!) || isDigit(source[i]!))) i++;
      const text = source.slice(start, i);
      tokens.push({ kind: KEYWORDS.has(text) ? 'keyword' : 'identifier', text, position: start });
    } else if (TWO_CHAR_OPERATORS.has(source.slice(i, i + 2))) {
      tokens.push({ kind: 'operator', text: source.slice(i, i + 2), position: i });
      i += 2;
    } else if (ONE_CHAR_OPERATORS.has(char)) {
      tokens.push({ kind: 'operator', text: char === '=' ? '==' : char, position: i });
      i++;
    } else {
      throw new ExpressionError(`unexpected character ${JSON.stringify(char)}`, source, i);
    }
  }
  tokens.push({ kind: 'end', text: '', position: source.length });
  return tokens;
}
