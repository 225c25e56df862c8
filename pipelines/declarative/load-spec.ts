/**
 * @module declarative/load-spec
 * Reads a declarative pipeline file (YAML, or JSON, which YAML also reads) and decodes it.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { decodeSpec, InvalidSpecError, type DeclarativeSpec } from './spec.js';

/** Parses YAML/JSON text into a checked spec; YAML syntax errors are reported with line and column. */
export function parseSpecText(text: string): DeclarativeSpec {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) throw new InvalidSpecError(document.errors.map((error) => `YAML: ${error.message.split('\n')[0]}`));
  return decodeSpec(document.toJS({ maxAliasCount: 100 }));
}

/** Loads and checks the spec at `path`. */
export async function loadDeclarativeSpec(path: string): Promise<DeclarativeSpec> {
  return parseSpecText(await readFile(path, 'utf8'));
}
