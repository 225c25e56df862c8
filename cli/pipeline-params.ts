/**
 * @module cli/pipeline-params
 * `--param key=value` for a pipeline that declares its parameters: unknown keys fail with the known ones and
 * a "did you mean", each value is decoded by its declared type (`vpcCidrs=10.0.0.0/16` is a list of one
 * CIDR), and, for a run, missing required parameters are named. Every problem is reported at once.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type { PipelineDeclaration } from '../pipelines/params/pipeline-declaration.js';
import { closestName } from '../core/did-you-mean.js';
import { UsageError } from './errors.js';

/** `key=value` split at the first `=`; the key must be an option name. */
export function splitParam(command: string, text: string): [string, string] {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new UsageError(`--param: expected key=value, got ${JSON.stringify(text)}`, command);
  const key = text.slice(0, equals);
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(key)) throw new UsageError(`--param: "${key}" is not a valid option name`, command);
  return [key, text.slice(equals + 1)];
}

/**
 * The options set by `params` (raw `key=value` texts), decoded with `declaration`.
 * @example decodeDeclaredParams('run', 'vpc-flow-egress', declaration, ['vpcCidrs=10.0.0.0/16'], { requireAll: true }) // { vpcCidrs: ['10.0.0.0/16'] }
 */
export function decodeDeclaredParams(
  command: string,
  pipeline: string,
  declaration: PipelineDeclaration,
  params: readonly string[],
  options: { requireAll: boolean },
): Record<string, unknown> {
  const known = Object.keys(declaration.params);
  const problems: string[] = [];
  const decoded: Record<string, unknown> = {};
  for (const text of params) {
    const [key, raw] = splitParam(command, text);
    const spec = Object.hasOwn(declaration.params, key) ? declaration.params[key] : undefined;
    if (spec === undefined) {
      const suggestion = closestName(key, known);
      problems.push(
        `--param ${key}: pipeline ${pipeline} has no parameter "${key}"${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}; its parameters: ${known.length === 0 ? '(none)' : known.join(', ')}`,
      );
      continue;
    }
    const result = spec.codec.decode(raw);
    if (isLeft(result)) problems.push(`--param ${key}: expected ${spec.codec.expected}, got ${JSON.stringify(raw)}`);
    else decoded[key] = result.right;
  }
  if (options.requireAll) {
    for (const [key, spec] of Object.entries(declaration.params)) {
      if (spec.required === true && !Object.hasOwn(decoded, key) && !problems.some((problem) => problem.startsWith(`--param ${key}:`)))
        problems.push(`--param ${key}=<${spec.type ?? spec.codec.expected}> is required: ${spec.doc}`);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'), `run ${pipeline}`);
  return decoded;
}
