/**
 * @module scripts/check-self-contained
 * The repository stands on its own: no file cites a path outside it (a sibling checkout's notes, a build
 * machine's absolute path), and every `docs/...` page a file cites exists. Run `npm run check:self-contained`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Text that points outside the repository. Built from parts so this file does not match itself. */
export const OUTSIDE_PATTERNS: readonly RegExp[] = [
  new RegExp(['\\.\\.', 'shared'].join('/')),
  new RegExp(['shared', '(formats|notes)'].join('/')),
  new RegExp(['', 'work', ''].join('/')),
  new RegExp(['PIT', 'FALLS'].join('')),
];

const SKIPPED = new Set(['node_modules', 'dist', '.git', '.cache', 'tmp', 'out', 'coverage']);
/** Folders the benchmarks generate (git-ignored): their meta files record where they were made. */
const SKIPPED_PATHS = new Set(['bench/data', 'bench/out']);
const TEXT_EXTENSIONS = new Set([
  '.ts',
  '.mts',
  '.js',
  '.mjs',
  '.cjs',
  '.json',
  '.md',
  '.yaml',
  '.yml',
  '.sh',
  '.txt',
  '.java',
  '.xml',
  '.toml',
]);
/** Files whose content is generated or third-party and not ours to word. */
const SKIPPED_FILES = new Set(['package-lock.json']);
const DOC_REFERENCE = /\bdocs\/[A-Za-z0-9_./-]+\.md\b/g;

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

function listFiles(root: string, directory: string, out: string[]): void {
  for (const name of readdirSync(directory)) {
    if (SKIPPED.has(name) || SKIPPED_FILES.has(name)) continue;
    const full = path.join(directory, name);
    if (SKIPPED_PATHS.has(path.relative(root, full).split(path.sep).join('/'))) continue;
    const info = statSync(full);
    if (info.isDirectory()) listFiles(root, full, out);
    else if (TEXT_EXTENSIONS.has(path.extname(name)) && info.size < 2_000_000) out.push(full);
  }
}

/** Every citation of a path outside `root`, and every cited `docs/` page that does not exist. */
export function findOutsideReferences(root: string): Finding[] {
  const files: string[] = [];
  listFiles(root, root, files);
  const findings: Finding[] = [];
  for (const file of files.sort()) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, index) => {
      for (const pattern of OUTSIDE_PATTERNS) {
        const match = pattern.exec(text);
        if (match !== null) {
          findings.push({
            file: relative,
            line: index + 1,
            message: `${relative}:${index + 1} cites "${match[0]}", a path outside the repository; write what it says into docs/ or bench/ and cite that`,
          });
          break;
        }
      }
      for (const match of text.matchAll(DOC_REFERENCE)) {
        if (!existsSync(path.join(root, match[0]))) {
          findings.push({ file: relative, line: index + 1, message: `${relative}:${index + 1} cites ${match[0]}, which does not exist` });
        }
      }
    });
  }
  return findings;
}

function main(): void {
  const findings = findOutsideReferences(process.argv[2] ?? process.cwd());
  for (const finding of findings) console.error(finding.message);
  if (findings.length > 0) process.exitCode = 1;
  else console.log('check-self-contained: every cited path is inside the repository.');
}

if (import.meta.url === `file://${process.argv[1]}`) main();
