/**
 * @module bench/harness/profile-summary
 * Summarises V8 `.cpuprofile` files (from `node --cpu-prof`): self time per function and per source area
 * (parser, Parquet writer, runner, zlib/GC/native...), to say where the time goes.
 *
 *   npx tsx bench/harness/profile-summary.ts <dir-or-file.cpuprofile>... [--top 25]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The part of the system a frame belongs to, from its source URL. */
export function areaOf(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : `native: ${name || '(anonymous)'}`;
  const match = /\/work\/main\/(?!node_modules)([^/]+(?:\/[^/]+)?)\//.exec(url);
  if (match !== null) return match[1]!;
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module !== null) return `npm: ${module[1]}`;
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  return url;
}

function files(paths: readonly string[]): string[] {
  return paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((n) => n.endsWith('.cpuprofile'))
          .map((n) => join(path, n))
      : [path],
  );
}

function main(): void {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const file of files(positionals)) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    for (let i = 0; i < profile.samples.length; i++) {
      const node = nodes.get(profile.samples[i]!)!;
      const micros = profile.timeDeltas[i] ?? 0;
      if (node.callFrame.functionName === '(idle)') continue;
      total += micros;
      const { functionName, url, lineNumber } = node.callFrame;
      const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/work\/main\//, '')}:${lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
      const area = areaOf(url, functionName);
      byArea.set(area, (byArea.get(area) ?? 0) + micros);
    }
  }
  const show = (title: string, map: Map<string, number>, top: number): void => {
    process.stdout.write(`\n${title} (of ${(total / 1e6).toFixed(2)} s busy)\n`);
    for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
      process.stdout.write(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1e6).toFixed(2).padStart(7)} s  ${key}\n`);
  };
  show('self time by area', byArea, 20);
  show('self time by function', byFunction, Number(values.top));
}

main();
