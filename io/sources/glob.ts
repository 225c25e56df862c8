/**
 * @module sources/glob
 * A small glob matcher for input patterns (`logs/**\/*.log.gz`, `s3://b/AWSLogs/*\/elasticloadbalancing/**`):
 * `*` and `?` within one path segment, `**` across segments, `[abc]` / `[a-z]` classes and `{a,b}`
 * alternatives. Node 20 has no `fs.glob`, and listing the fixed base once then matching keys is also what
 * an S3 prefix needs.
 */

const SPECIAL = /[*?[{]/;

/** `true` when `pattern` contains glob syntax. */
export function isGlob(pattern: string): boolean {
  return SPECIAL.test(pattern);
}

/**
 * The fixed directory part of a glob: everything before the segment holding the first wildcard.
 * @example globBase('logs/2024/**\/*.gz') // 'logs/2024/'
 */
export function globBase(pattern: string): string {
  const wildcard = pattern.search(SPECIAL);
  if (wildcard < 0) return pattern;
  return pattern.slice(0, pattern.lastIndexOf('/', wildcard) + 1);
}

/**
 * A RegExp that matches whole paths (with `/` separators) against the glob.
 * @example globToRegExp('a/**\/*.gz').test('a/x/y/z.gz') // true
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  let braceDepth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          source += '(?:[^/]*/)*';
        } else {
          source += '.*';
        }
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      source += `[${body}]`;
      i = close;
    } else if (char === '{') {
      braceDepth++;
      source += '(?:';
    } else if (char === '}' && braceDepth > 0) {
      braceDepth--;
      source += ')';
    } else if (char === ',' && braceDepth > 0) {
      source += '|';
    } else {
      source += char.replace(/[.+^$()|\\\]}]/g, '\\$&');
    }
  }
  if (braceDepth > 0) throw new SyntaxError(`glob "${pattern}" has an unclosed "{"`);
  return new RegExp(`^${source}$`);
}
