/**
 * @module formats/common/snake-case
 * Normalises column names from CSV headers (`lineItem/UsageStartDate`, `Event Time`, `product/region`) to
 * snake_case (`line_item_usage_start_date`, `event_time`, `product_region`), the naming of CUR 2.0 and Parquet
 * columns. Runs once per header, not per record.
 */

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}
function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * snake_case of a header name: every character other than an ASCII letter or digit separates words (`/`, `:`,
 * space, `.`, `-`), a lower-case letter or digit followed by an upper-case letter starts a word, and so does the
 * last capital of an acronym followed by a lower-case letter (`IPAddress` -> `ip_address`). Separators collapse;
 * leading and trailing ones are dropped. Returns `''` for a name with no letters or digits.
 * @example toSnakeCase('lineItem/UsageStartDate') // 'line_item_usage_start_date'
 * @example toSnakeCase('resourceTags/user:Name') // 'resource_tags_user_name'
 */
export function toSnakeCase(name: string): string {
  let out = '';
  let pendingSeparator = false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    const letterOrDigit = isUpper(code) || isLower(code) || isDigit(code);
    if (!letterOrDigit) {
      pendingSeparator = out.length > 0;
      continue;
    }
    if (isUpper(code) && out.length > 0 && !pendingSeparator) {
      const previous = name.charCodeAt(i - 1);
      const next = i + 1 < name.length ? name.charCodeAt(i + 1) : 0;
      if (isLower(previous) || isDigit(previous) || (isUpper(previous) && isLower(next))) pendingSeparator = true;
    }
    if (pendingSeparator) out += '_';
    pendingSeparator = false;
    out += isUpper(code) ? String.fromCharCode(code + 32) : name[i];
  }
  return out;
}
