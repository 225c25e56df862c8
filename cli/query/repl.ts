/**
 * @module cli/query/repl
 * The interactive prompt of `logbeam query` (readline): SQL statements end with `;` and may span lines;
 * `.tables` lists the tables with their locations, `.help` the commands, `.quit` (or `.exit`, or end of input)
 * leaves. An error is printed and the prompt goes on.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { renderResults, type OutputFormat } from './render-result.js';
import type { QuerySession } from './query-session.js';

const HELP = `Enter SQL ending with ';' (it may span lines). Commands:
  .tables   the tables and where they come from
  .help     this help
  .quit     leave (also .exit or Ctrl-D)
`;

/** The `.tables` listing. */
export function describeTables(session: QuerySession): string {
  if (session.tables.length === 0) return '(no tables)\n';
  const width = Math.max(...session.tables.map((table) => table.name.length));
  return session.tables
    .map((table) => `${table.name.padEnd(width)}  ${table.format}, ${table.files.length} file(s), ${table.location}\n`)
    .join('');
}

/** Runs the prompt on `input`/`output` until `.quit` or end of input. */
export async function runRepl(
  session: QuerySession,
  streams: { input: Readable; output: Writable; terminal: boolean },
  format: OutputFormat,
): Promise<void> {
  const lines = createInterface({ input: streams.input, output: streams.output, terminal: streams.terminal });
  const write = (text: string): void => {
    streams.output.write(text);
  };
  write(`logbeam query: ${session.tables.length} table(s): ${session.tables.map((table) => table.name).join(', ')}. .help for help.\n`);
  let pending = '';
  const prompt = (): void => {
    lines.setPrompt(pending === '' ? 'logbeam> ' : '     ...> ');
    lines.prompt();
  };
  lines.on('SIGINT', () => {
    // Ctrl-C drops a statement being typed, like psql; on an empty prompt it leaves.
    if (pending === '') {
      write('\n');
      lines.close();
      return;
    }
    pending = '';
    write('^C\n');
    prompt();
  });
  prompt();
  for await (const line of lines) {
    const trimmed = line.trim();
    if (pending === '' && trimmed.startsWith('.')) {
      const command = trimmed.split(/\s+/)[0];
      if (command === '.quit' || command === '.exit') break;
      if (command === '.tables') write(describeTables(session));
      else if (command === '.help') write(HELP);
      else write(`unknown command ${command}; .help lists the commands\n`);
      prompt();
      continue;
    }
    pending = pending === '' ? line : `${pending}\n${line}`;
    if (trimmed.endsWith(';')) {
      const sql = pending;
      pending = '';
      try {
        write(renderResults(await session.query(sql), format));
      } catch (error) {
        write(`Error: ${(error as Error).message}\n`);
      }
    }
    prompt();
  }
  lines.close();
}
