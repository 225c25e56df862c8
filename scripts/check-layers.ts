/**
 * @module scripts/check-layers
 * The import-direction check: layers point one way, core <- transforms/io <- execution <- runners <- pipelines
 * <- cli.
 * Pipelines are runner-independent (the CLI or the caller picks the runner), so `pipelines/` may not import
 * `runners/` either. Package entry points (index.ts, pipelines.ts, ...) may import any layer except `cli/`;
 * nothing in a layer may import tests, benchmarks, samples or scripts. Run `npm run check:layers`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The folders that form the layers, and which layers each may import. */
export const LAYER_RULES: Readonly<Record<string, readonly string[]>> = {
  core: ['core'],
  transforms: ['core', 'transforms', 'io'],
  io: ['core', 'transforms', 'io'],
  execution: ['core', 'transforms', 'io', 'execution'],
  runners: ['core', 'transforms', 'io', 'execution', 'runners'],
  pipelines: ['core', 'transforms', 'io', 'execution', 'pipelines'],
  cli: ['core', 'transforms', 'io', 'execution', 'runners', 'pipelines', 'cli'],
};

/** Folders a layer may not reach into even though their layer is allowed, with the reason. */
export const FORBIDDEN_PATHS: readonly { readonly from: string; readonly to: string; readonly reason: string }[] = [
  { from: 'runners/', to: 'io/sinks/', reason: "runners do not import sinks' internals; a sink reaches a runner through core/sink.ts" },
];

/**
 * Known imports that still run up the layers, each with the work that removes it. An entry that no longer
 * matches anything is reported so it can be deleted; a new violation is never accepted here silently.
 */
export interface KnownException {
  readonly from: string;
  readonly to: string;
  /** The work that removes it. */
  readonly until: string;
}

export const KNOWN_EXCEPTIONS: readonly KnownException[] = [];

/** Top-level files that make up the package's public entry points. */
const ENTRY_RULE: readonly string[] = ['core', 'transforms', 'io', 'execution', 'runners', 'pipelines'];

const SOURCE_EXTENSIONS = ['.ts', '.mts'];
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'fixtures', 'tmp', '.cache', '.git']);

export interface LayerViolation {
  /** The importing file, relative to the root, with forward slashes. */
  readonly from: string;
  /** The imported file (as resolved against the importer), relative to the root. */
  readonly to: string;
  readonly message: string;
}

/** The layer (top folder) a root-relative path belongs to, `entry` for a top-level file, or undefined. */
function layerOf(relative: string): string | undefined {
  const parts = relative.split('/');
  if (parts.length === 1) return 'entry';
  return parts[0];
}

function listSources(root: string, directory: string, out: string[]): void {
  for (const name of readdirSync(directory)) {
    if (SKIPPED_DIRECTORIES.has(name)) continue;
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) listSources(root, full, out);
    else if (SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)) && !name.endsWith('.d.ts')) out.push(full);
  }
}

/** The relative module specifiers a file imports, re-exports or loads dynamically. */
export function importsOf(sourceText: string): string[] {
  const info = ts.preProcessFile(sourceText, true, true);
  return info.importedFiles.map((file) => file.fileName).filter((name) => name.startsWith('.'));
}

/** Whether a file is a test or test helper, which may reach across layers (it is not part of the package). */
function isTestFile(relative: string): boolean {
  return /\.test\.ts$/.test(relative) || relative.split('/').includes('testing');
}

function isKnownException(known: readonly KnownException[], from: string, to: string, used: Set<number>): boolean {
  const index = known.findIndex((exception) => exception.from === from && exception.to === to);
  if (index >= 0) used.add(index);
  return index >= 0;
}

function ruleFor(layer: string): readonly string[] | undefined {
  return layer === 'entry' ? ENTRY_RULE : LAYER_RULES[layer];
}

/** What {@link checkLayers} found. */
export interface LayerReport {
  readonly violations: readonly LayerViolation[];
  /** Known exceptions that matched no import (fixed: delete them from KNOWN_EXCEPTIONS). */
  readonly staleExceptions: readonly string[];
}

/** Every import in the layered folders (and the entry points) that runs against the layer order. */
export function findLayerViolations(root: string): LayerViolation[] {
  return [...checkLayers(root, { exceptions: false }).violations];
}

/** Checks the tree under `root`; with `exceptions` (default true) the `known` exceptions are accepted. */
export function checkLayers(
  root: string,
  { exceptions = true, known = KNOWN_EXCEPTIONS }: { readonly exceptions?: boolean; readonly known?: readonly KnownException[] } = {},
): LayerReport {
  const usedExceptions = new Set<number>();
  const files: string[] = [];
  for (const name of readdirSync(root)) {
    const full = path.join(root, name);
    if (name in LAYER_RULES && statSync(full).isDirectory()) listSources(root, full, files);
    else if (SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)) && statSync(full).isFile()) files.push(full);
  }
  const violations: LayerViolation[] = [];
  for (const file of files.sort()) {
    const from = path.relative(root, file).split(path.sep).join('/');
    if (isTestFile(from)) continue;
    const fromLayer = layerOf(from);
    const allowed = fromLayer === undefined ? undefined : ruleFor(fromLayer);
    if (fromLayer === undefined || allowed === undefined) continue;
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const to = path
        .relative(root, path.resolve(path.dirname(file), specifier))
        .split(path.sep)
        .join('/');
      if (exceptions && isKnownException(known, from, to, usedExceptions)) continue;
      const forbidden = FORBIDDEN_PATHS.find((rule) => from.startsWith(rule.from) && to.startsWith(rule.to));
      if (forbidden !== undefined) {
        violations.push({ from, to, message: `${from} imports ${to}: ${forbidden.reason}.` });
        continue;
      }
      const toLayer = layerOf(to);
      if (toLayer === undefined || allowed.includes(toLayer)) continue;
      const what = toLayer === 'entry' || to.startsWith('..') ? `${to} (outside the layers)` : `${toLayer}/`;
      violations.push({
        from,
        to,
        message:
          `${from} imports ${to}: ${fromLayer === 'entry' ? 'an entry point' : `${fromLayer}/`} may not import ${what}` +
          ` (layers: core <- transforms/io <- execution <- runners <- pipelines <- cli; pipelines do not import runners).`,
      });
    }
  }
  const staleExceptions = exceptions
    ? known.filter((_, index) => !usedExceptions.has(index)).map((exception) => `${exception.from} -> ${exception.to}`)
    : [];
  return { violations, staleExceptions };
}

/** The command line: prints each violation and exits 1 when there is any. */
function main(): void {
  const root = process.argv[2] ?? process.cwd();
  const { violations, staleExceptions } = checkLayers(root);
  for (const stale of staleExceptions)
    console.error(`check-layers: the known exception ${stale} no longer occurs; delete it from KNOWN_EXCEPTIONS.`);
  for (const violation of violations) console.error(violation.message);
  if (violations.length > 0) {
    console.error(`check-layers: ${violations.length} import(s) run up the layers; move the shared code down a layer.`);
    process.exitCode = 1;
  } else {
    console.log('check-layers: every import points down the layers.');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
