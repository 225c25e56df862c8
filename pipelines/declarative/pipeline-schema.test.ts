import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../cli/testing/run-cli.js';
import { JsonSchemaSubset } from '../../test/json-schema/json-schema-subset.js';
import { LOG_TYPE_NAMES } from '../log-formats.js';
import { parseSpecText } from './load-spec.js';
import { STEP_CONFIGS } from './spec.js';

type SchemaObject = { readonly [keyword: string]: unknown };

const SCHEMA_PATH = join(REPO_ROOT, 'pipelines/declarative/pipeline.schema.json');
let schema: SchemaObject;
let validator: JsonSchemaSubset;

/** Every .yaml/.yml file of the repository that is a pipeline (has `steps`), outside generated folders. */
async function pipelineFiles(): Promise<string[]> {
  const skip = new Set(['node_modules', 'dist', 'tmp', '.cache', '.git', 'out']);
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!skip.has(entry.name)) await walk(join(dir, entry.name));
      } else if (/\.ya?ml$/.test(entry.name) && /^steps:/m.test(await readFile(join(dir, entry.name), 'utf8')))
        found.push(join(dir, entry.name));
    }
  };
  await walk(REPO_ROOT);
  return found;
}

/** The ```yaml blocks of a Markdown file that are pipelines. */
async function markdownPipelines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!).filter((block) => /^steps:/m.test(block));
}

function configOf(type: string): SchemaObject {
  return (schema['definitions'] as Record<string, SchemaObject>)[`${type}_config`]!;
}

beforeAll(async () => {
  schema = JSON.parse(await readFile(SCHEMA_PATH, 'utf8')) as SchemaObject;
  validator = new JsonSchemaSubset(schema);
});

describe('the JSON Schema of declarative pipelines', () => {
  it('accepts every example pipeline in the repository, each of which logbeam accepts too', async () => {
    const files = await pipelineFiles();
    expect(files.map((file) => relative(REPO_ROOT, file))).toEqual(
      expect.arrayContaining(['samples/pipelines/alb-hourly-errors.yaml', 'samples/pipelines/alb-to-parquet.yaml']),
    );
    const readme = await markdownPipelines(join(REPO_ROOT, 'README.md'));
    expect(readme.length).toBeGreaterThanOrEqual(1);
    for (const [where, text] of [
      ...(await Promise.all(files.map(async (file) => [relative(REPO_ROOT, file), await readFile(file, 'utf8')] as const))),
      ...readme.map((text, i) => [`README.md yaml block ${i + 1}`, text] as const),
    ]) {
      expect({ where, errors: validator.errors(parse(text)) }).toEqual({ where, errors: [] });
      expect(() => parseSpecText(text)).not.toThrow();
    }
  });

  it('points editors at itself from every sample pipeline', async () => {
    for (const file of await pipelineFiles()) {
      if (!relative(REPO_ROOT, file).startsWith('samples/')) continue;
      const first = (await readFile(file, 'utf8')).split('\n')[0]!;
      const target = /^# yaml-language-server: \$schema=(.+)$/.exec(first)?.[1];
      expect(target).toBeDefined();
      expect(join(file, '..', target!)).toBe(SCHEMA_PATH);
    }
  });

  it.each([
    ['an unknown root key', '{ stepz: [] }', '/: "steps" is required'],
    ['no steps', '{ steps: [] }', '/steps: fewer than 1 items'],
    ['an unknown step type', '{ steps: [{ type: sort }] }', '/steps/0/type: "sort" is not one of'],
    ['an unknown step key', '{ steps: [{ type: read, config: { format: alb }, inptu: x }] }', '/steps/0: unknown property "inptu"'],
    [
      'an unknown config key',
      '{ steps: [{ type: read, config: { format: alb, inptu: x } }] }',
      '/steps/0/config: unknown property "inptu"',
    ],
    ['an unknown log type', '{ steps: [{ type: read, config: { format: albb } }] }', '/steps/0/config/format: "albb" is not one of'],
    [
      'a read with an input step',
      '{ steps: [{ type: read, input: x, config: { format: alb } }] }',
      '/steps/0: matches a schema it must not match',
    ],
    ['a filter without where', '{ steps: [{ type: filter, config: {} }] }', '/steps/0/config: "where" is required'],
    [
      'a window of two kinds',
      '{ steps: [{ type: window, config: { fixed: 1h, sessions: { gap: 5m } } }] }',
      '/steps/0/config: matches 2 of oneOf',
    ],
    ['a malformed duration', '{ steps: [{ type: window, config: { fixed: 1x } }] }', '/steps/0/config/fixed: matches 0 of oneOf'],
    [
      'a sum without value',
      '{ steps: [{ type: combine, config: { aggregations: { s: { fn: sum } } } }] }',
      '/steps/0/config/aggregations/s: "value" is required',
    ],
    [
      'a topN without n',
      '{ steps: [{ type: combine, config: { aggregations: { t: { fn: topN, value: x } } } }] }',
      '/steps/0/config/aggregations/t: "n" is required',
    ],
    [
      'a __proto__ field',
      '{ steps: [{ type: map_to_fields, config: { fields: { __proto__: x } } }] }',
      '/steps/0/config/fields/__proto__: matches a schema it must not match',
    ],
    ['a bad step name', '{ steps: [{ name: "a b", type: write, config: { format: csv } }] }', '/steps/0/name: "a b" does not match'],
    ['an unknown write format', '{ steps: [{ type: write, config: { format: avro } }] }', '/steps/0/config/format: "avro" is not one of'],
    ['a join with one input', '{ steps: [{ type: join, input: { a: x }, config: { on: k } }] }', '/steps/0/input: fewer than 2 properties'],
  ])('rejects %s, as logbeam does', (_, yaml, error) => {
    expect(validator.errors(parse(yaml))).toEqual(expect.arrayContaining([expect.stringContaining(error)]));
    expect(() => parseSpecText(yaml)).toThrow();
  });

  it('lists exactly the step types and config keys that logbeam decodes, with the same required keys', () => {
    const step = (schema['definitions'] as Record<string, SchemaObject>)['step']!;
    expect((step['properties'] as Record<string, SchemaObject>)['type']!['enum']).toEqual(Object.keys(STEP_CONFIGS));
    for (const [type, codecs] of Object.entries(STEP_CONFIGS)) {
      const config = configOf(type);
      const required = Object.keys(codecs.required.props);
      expect({ type, keys: Object.keys(config['properties'] as object).sort() }).toEqual({
        type,
        keys: [...required, ...Object.keys(codecs.optional.props)].sort(),
      });
      expect({ type, required: (config['required'] as string[] | undefined) ?? [] }).toEqual({ type, required });
    }
  });

  it('lists every log type for read and parse', () => {
    const formats = (type: string): unknown =>
      ((configOf(type)['properties'] as Record<string, SchemaObject>)['format']!['enum'] as string[]).filter(
        (name) => !name.includes('-') && name !== 'text',
      );
    expect(formats('read')).toEqual(LOG_TYPE_NAMES);
    expect(formats('parse')).toEqual(LOG_TYPE_NAMES);
  });

  it('is checked by a validator that refuses keywords it does not implement', () => {
    expect(() => new JsonSchemaSubset({ type: 'object', patternProperties: {} })).toThrow('keyword "patternProperties" is not supported');
    expect(new JsonSchemaSubset({ type: 'integer', minimum: 1 }).errors(1.5)).toEqual(['/: expected integer, got number']);
    expect(new JsonSchemaSubset({ oneOf: [{ type: 'string' }, { type: 'number' }] }).errors(true)).toEqual([
      '/: matches 0 of oneOf, expected exactly 1',
    ]);
  });
});
