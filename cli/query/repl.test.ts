import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { discoverTables } from './discover-tables.js';
import { QuerySession } from './query-session.js';
import { runRepl } from './repl.js';

describe('the interactive prompt of logbeam query', () => {
  it('runs statements that span lines, lists tables, reports errors and goes on, and stops at .quit', async () => {
    const root = join(await mkdtemp(join(tmpdir(), 'logbeam-repl-')), 'events');
    await duckdb(`copy (select n, n * 2 as twice from range(5) t(n)) to ${sqlString(root)} (format parquet, partition_by (n))`);
    const session = await QuerySession.open(await discoverTables(root));
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    input.end(
      [
        '.tables',
        'select count(*) as rows,',
        '  sum(n) as total, sum(twice) as twice from events;',
        'select * from nope;',
        '.bogus',
        '.quit',
        'select 1;',
      ].join('\n'),
    );
    try {
      await runRepl(session, { input, output, terminal: false }, 'csv');
    } finally {
      session.close();
    }
    const text = chunks.join('');
    expect(text).toContain('logbeam query: 1 table(s): events.');
    expect(text).toContain(`events  parquet, 5 file(s), ${root}\n`);
    expect(text).toContain('rows,total,twice\r\n5,10,20\r\n');
    expect(text).toContain('Error: unknown table "nope"; the tables are: events');
    expect(text).toContain('unknown command .bogus');
    // Nothing after .quit runs.
    expect(text.match(/\r\n1\r\n/)).toBeNull();
  });
});
