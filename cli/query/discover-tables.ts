/**
 * @module cli/query/discover-tables
 * Finds the tables of a logbeam output folder: every folder that holds Parquet, JSON-lines or CSV files,
 * directly or below Hive partition folders (`year=2024/month=06/...`), is one table named after the folder.
 * Folders whose name starts with `_` or `.` (dead letters, staging, manifests) are skipped, as table readers do.
 */
import { readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';

/** The data file formats logbeam writes. */
export type TableFormat = 'parquet' | 'jsonl' | 'csv';

const EXTENSIONS: ReadonlyArray<readonly [string, TableFormat]> = [
  ['.parquet', 'parquet'],
  ['.jsonl', 'jsonl'],
  ['.jsonl.gz', 'jsonl'],
  ['.csv', 'csv'],
  ['.csv.gz', 'csv'],
];

/** One table: a folder and its data files (absolute paths, sorted). */
export interface TableSource {
  /** The view name: the folder's name, with characters other than letters, digits and `_` turned into `_`. */
  readonly name: string;
  /** Where the table was found, as the user named it (`out/alb`, `s3://bucket/prefix/alb`). */
  readonly location: string;
  readonly format: TableFormat;
  readonly files: readonly string[];
}

/** The format of a data file name, or `undefined` for other files. */
export function formatOfFile(name: string): TableFormat | undefined {
  return EXTENSIONS.find(([extension]) => name.endsWith(extension))?.[1];
}

/** A folder name as a plain SQL identifier: `alb-yaml` -> `alb_yaml`, `2024` -> `_2024`. */
export function tableName(folder: string): string {
  const plain = folder.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(plain) || plain === '' ? `_${plain}` : plain;
}

const PARTITION_SEGMENT = /^[^=/]+=[^/]*$/;

/**
 * The tables under `root` (a local folder). `displayRoot` is how the user named it (an S3 URI when `root` is a
 * local copy), used in `location` and messages. The root itself is a table when it holds data files.
 */
export async function discoverTables(root: string, displayRoot: string = root): Promise<TableSource[]> {
  const byFolder = new Map<string, { formats: Set<TableFormat>; files: string[] }>();
  // Iterative walk: partition trees can be deep, and recursion depth should not depend on the data.
  const stack: Array<{ path: string; segments: readonly string[] }> = [{ path: root, segments: [] }];
  while (stack.length > 0) {
    const { path, segments } = stack.pop()!;
    for (const entry of await readdir(path, { withFileTypes: true })) {
      if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) {
        stack.push({ path: join(path, entry.name), segments: [...segments, entry.name] });
        continue;
      }
      const format = entry.isFile() ? formatOfFile(entry.name) : undefined;
      if (format === undefined) continue;
      let end = segments.length;
      while (end > 0 && PARTITION_SEGMENT.test(segments[end - 1]!)) end--;
      const folder = segments.slice(0, end).join('/');
      const table = byFolder.get(folder) ?? { formats: new Set<TableFormat>(), files: [] };
      table.formats.add(format);
      table.files.push(join(path, entry.name));
      byFolder.set(folder, table);
    }
  }
  const tables: TableSource[] = [];
  for (const [folder, { formats, files }] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) {
    const location = folder === '' ? displayRoot : `${displayRoot.replace(/\/+$/, '')}/${folder}`;
    if (formats.size > 1)
      throw new Error(`${location} holds ${[...formats].sort().join(' and ')} files; a table is read in one format, so keep them apart`);
    const rootName = displayRoot.startsWith('s3://') ? basename(displayRoot.replace(/\/+$/, '')) : basename(resolve(displayRoot));
    const name = tableName(folder === '' ? rootName : folder.split('/').pop()!);
    tables.push({ name, location, format: [...formats][0]!, files: files.sort() });
  }
  return tables;
}
