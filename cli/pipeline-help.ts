/**
 * @module cli/pipeline-help
 * `logbeam run <pipeline> --help`: a built-in pipeline's parameters and output tables (columns and types),
 * rendered from the declaration next to the pipeline, so the help cannot drift from what the run accepts.
 */
import type { Schema } from '../core/schema.js';
import type { PipelineDeclaration } from '../pipelines/params/pipeline-declaration.js';

function table(rows: ReadonlyArray<readonly string[]>, indent: string): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]!.length))) ?? [];
  return rows.map((row) =>
    `${indent}${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')}`.trimEnd(),
  );
}

function columns(schema: Schema): string[] {
  return table(
    schema.fields.map((field) => [field.name, field.type, field.nullable ? '' : 'not null', field.doc ?? '']),
    '      ',
  );
}

/** The help text of pipeline `name` (`description` from the registry). */
export function pipelineHelp(name: string, description: string, declaration: PipelineDeclaration): string {
  const lines = [`Usage: logbeam run ${name} [options] [--param key=value ...]`, '', `${name}: ${description}`, ''];
  const params = Object.entries(declaration.params);
  if (params.length === 0) lines.push('Parameters: none');
  else {
    lines.push('Parameters (--param key=value; lists are comma-separated):');
    lines.push(
      ...table(
        params.map(([key, spec]) => [
          key,
          spec.type ?? spec.codec.name,
          spec.required === true ? 'required' : spec.default === undefined ? '' : `default ${spec.default}`,
          spec.doc,
        ]),
        '  ',
      ),
    );
  }
  lines.push('', 'Outputs:');
  for (const output of declaration.outputs) {
    lines.push(`  ${output.location}${output.partitioning === undefined ? '' : `, partitioned by ${output.partitioning}`}`);
    lines.push(`    ${output.doc}`);
    if (output.schema !== undefined) lines.push('    columns:', ...columns(output.schema));
  }
  lines.push('', "Run 'logbeam run --help' for the options every pipeline takes.");
  return `${lines.join('\n')}\n`;
}
