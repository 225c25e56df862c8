import { mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { runCli } from '../../cli/testing/run-cli.js';
import { ExpressionError } from './expression/ast.js';
import { compileExpression } from './expression/compile.js';
import { MAX_EXPRESSION_LENGTH, MAX_TREE_DEPTH, parseExpression } from './expression/parse.js';
import { duplicateKeyProblems, loadDeclarativeSpec, MAX_PIPELINE_BYTES, parseSpecText } from './load-spec.js';
import { InvalidSpecError } from './spec.js';

function problemsOf(text: string): readonly string[] {
  try {
    parseSpecText(text);
  } catch (error) {
    if (error instanceof InvalidSpecError) return error.problems;
    throw error;
  }
  return [];
}

/** A valid pipeline whose map_to_fields step has `n` fields (`f0: sent_bytes`, ...), one per line. */
function manyFields(n: number, extra = ''): string {
  const lines = ['steps:', '  - { type: read, config: { format: alb } }', '  - type: map_to_fields', '    config:', '      fields:'];
  for (let i = 0; i < n; i++) lines.push(`        f${i}: sent_bytes`);
  return `${lines.join('\n')}${extra}\n  - { type: write, config: { format: jsonl } }\n`;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-load-spec-'));
});

describe('pipeline file limits (issue 13 item 12)', () => {
  it('refuses a file over the size limit with the limit in the message, without reading it whole', async () => {
    const huge = join(dir, 'huge.yaml');
    await writeFile(huge, 'steps: []\n');
    await truncate(huge, 100 * 1024 * 1024); // sparse: 100 MB that cost nothing to make
    await expect(loadDeclarativeSpec(huge)).rejects.toThrow(
      `(file): 104857600 bytes; a pipeline file may be at most ${MAX_PIPELINE_BYTES} bytes (256 KiB)`,
    );
    const justOver = `# ${'x'.repeat(MAX_PIPELINE_BYTES)}\n${manyFields(1)}`;
    expect(problemsOf(justOver)).toEqual([expect.stringContaining(`a pipeline file may be at most ${MAX_PIPELINE_BYTES} bytes`)]);
    const { code, stderr } = await runCli(['validate', huge]);
    expect(code).toBe(2);
    expect(stderr).toContain('a pipeline file may be at most 262144 bytes');
  });

  it('refuses an expression over the length limit before tokenizing it (a 40 MB expression used to crash V8)', () => {
    const long = `a in [${'1,'.repeat(20_000_000)}1]`;
    expect(() => parseExpression(long)).toThrow(ExpressionError);
    expect(() => parseExpression(long)).toThrow(`the expression is ${long.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`);
    const inFile = manyFields(1).replace('f0: sent_bytes', `f0: "sent_bytes in [${'1,'.repeat(MAX_EXPRESSION_LENGTH / 2)}1]"`);
    expect(problemsOf(inFile)).toEqual([
      expect.stringMatching(/^steps\[1\]\.config\.fields\.f0: the expression is \d+ characters long; the limit is 65536/),
    ]);
    // Just under the limit is fine.
    const list = `sent_bytes in [${'1,'.repeat(MAX_EXPRESSION_LENGTH / 2 - 20)}1]`;
    expect(list.length).toBeLessThanOrEqual(MAX_EXPRESSION_LENGTH);
    expect(compileExpression(list)({ sent_bytes: 1 })).toBe(true);
  });

  it('refuses a chain of operators deeper than the tree limit instead of overflowing the stack, and evaluates one under it', () => {
    const chain = (n: number): string => Array.from({ length: n }, (_, i) => `f${i % 10}`).join(' or ');
    expect(() => parseExpression(chain(5_000))).toThrow(`the expression nests 5000 levels deep; the limit is ${MAX_TREE_DEPTH}`);
    expect(compileExpression(chain(MAX_TREE_DEPTH - 1))({ f9: 1 })).toBe(true);
    expect(compileExpression(chain(MAX_TREE_DEPTH - 1))({})).toBe(false);
  });

  it('finds duplicate keys at every level with line and column, visiting each node once', () => {
    const text =
      'steps:\n  - type: read\n    config: { format: alb, format: clb }\n  - type: write\n    type: write\n    config: { format: jsonl }\nsteps: []\n';
    expect(problemsOf(text)).toEqual([
      'YAML: duplicate key "steps" at line 7, column 1 (each key may appear once per mapping)',
      'YAML: duplicate key "type" at line 5, column 5 (each key may appear once per mapping)',
      'YAML: duplicate key "format" at line 3, column 28 (each key may appear once per mapping)',
    ]);
    for (const n of [1_000, 4_000, 16_000]) {
      const lines = new LineCounter();
      const document = parseDocument(manyFields(n, '\n        f0: dup'), { uniqueKeys: false, lineCounter: lines });
      const counter = { visits: 0 };
      expect(duplicateKeyProblems(document.contents, lines, counter)).toEqual([expect.stringContaining('duplicate key "f0"')]);
      // Root map and steps list (2); read and write steps: map, type, config map, format (4 each); the map step:
      // map, type, config map, fields map (4) and its n + 1 values.
      expect(counter.visits).toBe(2 + 4 + 4 + 4 + n + 1);
    }
  });

  it('refuses a 10 MB malformed flow mapping by its size (it did not finish in 200 s), and one at the limit with YAML errors', () => {
    const flow = (bytes: number): string => `steps: [{ type: read, config: { ${'a: b, '.repeat(Math.floor(bytes / 6))}`;
    expect(problemsOf(flow(10 * 1024 * 1024))).toEqual([
      expect.stringContaining(`a pipeline file may be at most ${MAX_PIPELINE_BYTES} bytes`),
    ]);
    expect(problemsOf(flow(MAX_PIPELINE_BYTES - 100))[0]).toMatch(/^YAML: /);
  });

  it('explains the first unknown names of a generated file and counts the rest, in bounded time', () => {
    const unknowns = Array.from({ length: 8_000 }, (_, i) => `u${i}`).join(', ');
    const problems = problemsOf(manyFields(1, `\n  - { type: filter, config: { where: "f0 in [${unknowns}]" } }`));
    expect(problems).toHaveLength(8_000);
    expect(problems[0]).toMatch(/^steps\[2\]\.config\.where: unknown field "u0" \(did you mean "f0"\?\) at column 8/);
    expect(problems[7_999]).toMatch(/^steps\[2\]\.config\.where: unknown field "u7999" at column/);
    expect(new InvalidSpecError(problems).message.split('\n')).toHaveLength(101);
  });
});

describe('__proto__ as a field name (issue 13 item 11)', () => {
  it('is refused wherever a step names an output field, instead of being silently dropped', () => {
    const steps = (middle: string): string =>
      `steps:\n  - { name: a, type: read, config: { format: alb } }\n  - { name: b, type: read, config: { format: alb } }\n${middle}  - { type: write, config: { format: jsonl } }\n`;
    const reserved =
      '"__proto__" cannot be a field name (JavaScript reserves it, so records would silently lose the field); choose another name';
    expect(
      problemsOf(steps('  - { input: a, type: map_to_fields, config: { fields: { __proto__: client_ip, ok: client_ip } } }\n')),
    ).toEqual([`steps[2].config.fields.__proto__: ${reserved}`]);
    expect(
      problemsOf(
        steps(
          '  - { input: a, type: combine, config: { group_by: { __proto__: client_ip }, aggregations: { __proto__: { fn: count } } } }\n',
        ),
      ),
    ).toEqual([`steps[2].config.group_by.__proto__: ${reserved}`, `steps[2].config.aggregations.__proto__: ${reserved}`]);
    expect(problemsOf(steps('  - { type: join, input: { __proto__: a, other: b }, config: { on: client_ip } }\n'))).toEqual([
      `steps[2].input.__proto__: ${reserved}`,
    ]);
    expect(problemsOf(steps('  - { input: a, type: filter, config: { where: "`__proto__` == null" } }\n'))).toEqual([
      'steps[2].config.where: "__proto__" cannot be a field name (JavaScript reserves it, records silently lose it) at column 1 of "`__proto__` == null"',
    ]);
  });

  it('is refused in a CSV pipeline too, where any other column name is accepted', () => {
    expect(
      problemsOf(
        'steps:\n  - { type: read, config: { format: csv } }\n  - { type: combine, config: { group_by: [__proto__], aggregations: { n: { fn: count } } } }\n  - { type: write, config: { format: jsonl } }\n',
      ),
    ).toEqual([expect.stringMatching(/^steps\[1\]\.config\.group_by\[0\]: "__proto__" cannot be a field name/)]);
  });
});
