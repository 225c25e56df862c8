/**
 * @module cli/commands/list
 * `logbeam list`: the built-in pipelines and log types.
 */
import { LOG_FORMATS, LOG_TYPE_NAMES } from '../../pipelines/log-formats.js';
import { builtinPipelineDescription, builtinPipelineNames } from '../../pipelines/registry.js';
import { EXIT } from '../errors.js';
import { parseFlags } from '../flags.js';

export async function listCommand(args: readonly string[]): Promise<number> {
  const { values } = parseFlags('list', args, {}, 0);
  if (values['help'] === true) {
    process.stdout.write(
      'Usage: logbeam list\n\nLists the built-in pipelines (for logbeam run/explain) and log types (for parse, ddl, generate).\n',
    );
    return EXIT.ok;
  }
  const lines = [
    'Pipelines:',
    ...builtinPipelineNames().map((name) => `  ${name.padEnd(18)} ${builtinPipelineDescription(name)}`.trimEnd()),
    '',
    'Log types:',
  ];
  for (const name of LOG_TYPE_NAMES) lines.push(`  ${name.padEnd(12)} ${LOG_FORMATS[name].description}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
