/**
 * @module declarative/load-spec
 * Reads a declarative pipeline file (YAML, or JSON, which YAML also reads), decodes it and checks it against
 * the record schemas (`checkSchemas`), so every problem is known before anything runs.
 *
 * Hostile or runaway files fail fast, in time and memory linear in the file's size: a file may be at most
 * `MAX_PIPELINE_BYTES`, and duplicate keys are found with one hash set per mapping (the YAML library's own
 * check compares every pair of keys).
 */
import { open } from 'node:fs/promises';
import type { LineCounter, Node } from 'yaml';
import { checkSchemas } from './schema-check.js';
import { decodeSpecParts, InvalidSpecError, type DeclarativeSpec } from './spec.js';
import { yamlPackage } from './yaml-package.js';

/** The largest pipeline file accepted, in bytes (256 KiB: real pipelines are a few KiB). */
export const MAX_PIPELINE_BYTES = 256 * 1024;
/** Aliases (`*name`) a file may use; each copies a subtree, so unbounded aliases are a memory bomb. */
const MAX_ALIASES = 100;

function tooLarge(bytes: number): InvalidSpecError {
  return new InvalidSpecError([
    `(file): ${bytes} bytes; a pipeline file may be at most ${MAX_PIPELINE_BYTES} bytes (${MAX_PIPELINE_BYTES / 1024} KiB)`,
  ]);
}

/**
 * Duplicate keys in every mapping of `root`, as `YAML: ...` problems; one pass, one set per mapping, no
 * recursion (nesting depth is bounded only by the file size). `visits` counts nodes visited, for tests.
 */
export function duplicateKeyProblems(root: Node | null, lines: LineCounter, counter: { visits: number } = { visits: 0 }): string[] {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlPackage();
  const problems: string[] = [];
  const stack: unknown[] = root === null ? [] : [root];
  while (stack.length > 0) {
    const node = stack.pop();
    counter.visits++;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        if (isScalar(key)) {
          const name = String(key.value);
          if (seen.has(name)) {
            const at = key.range === undefined || key.range === null ? undefined : lines.linePos(key.range[0]);
            problems.push(
              `YAML: duplicate key ${JSON.stringify(name.length > 60 ? `${name.slice(0, 57)}...` : name)}${at === undefined ? '' : ` at line ${at.line}, column ${at.col}`} (each key may appear once per mapping)`,
            );
          }
          seen.add(name);
        } else if (key !== null && !isAlias(key)) stack.push(key);
        if (pair.value !== null && !isAlias(pair.value)) stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (item !== null && !isAlias(item)) stack.push(item);
    }
  }
  return problems;
}

/** The index of the step a problem is about (`steps[3]...`), or -1 for the file as a whole. */
function stepIndex(problem: string): number {
  const match = /^steps\[(\d+)\]/.exec(problem);
  return match === null ? -1 : Number(match[1]);
}

/** Problems sorted by step (stable: in the order found within a step). */
function inStepOrder(problems: readonly string[]): string[] {
  return problems
    .map((problem, i) => [stepIndex(problem), i, problem] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, , problem]) => problem);
}

/**
 * Parses YAML/JSON text into a spec checked for structure and against the record schemas; throws
 * `InvalidSpecError` with every problem of both checks, by step (YAML syntax errors with line and column).
 */
export function parseSpecText(text: string): DeclarativeSpec {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_PIPELINE_BYTES) throw tooLarge(bytes);
  const { LineCounter, parseDocument } = yamlPackage();
  const lines = new LineCounter();
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter: lines });
  if (document.errors.length > 0) throw new InvalidSpecError(document.errors.map((error) => `YAML: ${error.message.split('\n')[0]}`));
  const duplicates = duplicateKeyProblems(document.contents, lines);
  if (duplicates.length > 0) throw new InvalidSpecError(duplicates);
  let plain: unknown;
  try {
    plain = document.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new InvalidSpecError([`YAML: ${(error as Error).message}`]);
  }
  const decoded = decodeSpecParts(plain);
  const problems = [...decoded.problems, ...(decoded.spec === undefined ? [] : checkSchemas(decoded.spec).problems)];
  if (problems.length > 0) throw new InvalidSpecError(inStepOrder(problems));
  return decoded.spec!;
}

/** Loads and checks the spec at `path`; refuses files over `MAX_PIPELINE_BYTES` without reading them whole. */
export async function loadDeclarativeSpec(path: string): Promise<DeclarativeSpec> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size > MAX_PIPELINE_BYTES) throw tooLarge(size);
    const buffer = Buffer.alloc(MAX_PIPELINE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_PIPELINE_BYTES) throw tooLarge(length);
    }
    return parseSpecText(buffer.subarray(0, length).toString('utf8'));
  } finally {
    await file.close();
  }
}
