import { parseSpecText } from './load-spec.js';
import { InvalidSpecError } from './spec.js';

function problemsOf(text: string): readonly string[] {
  try {
    parseSpecText(text);
  } catch (error) {
    if (error instanceof InvalidSpecError) return error.problems;
    throw error;
  }
  throw new Error('expected the spec to be rejected');
}

describe('parseSpecText', () => {
  it('fills in step names and chains each step to the previous one by default', () => {
    const spec = parseSpecText(
      'steps:\n  - type: read\n    config: { format: alb }\n  - type: filter\n    config: { where: "elb_status_code >= 500" }\n  - type: write\n    config: { format: jsonl }\n',
    );
    expect(spec.steps.map((step) => [step.name, step.input])).toEqual([
      ['read_1', undefined],
      ['filter_2', 'read_1'],
      ['write_3', 'filter_2'],
    ]);
  });

  it('reports every problem at once, each at its key path', () => {
    const problems = problemsOf(`
steps:
  - name: logs
    type: read
    config: { format: albb, inptu: x }
  - type: filter
    config: { where: "lwer(host) == 'a'" }
  - type: window
    config: { fixed: 1x }
  - type: combine
    config:
      aggregations:
        total: { fn: sum }
        top: { fn: topN, value: bytes }
  - type: sort
  - type: write
    input: nowhere
    config: { format: parquet, time_partitioning: week }
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^steps\[0\]\.config\.inptu: unknown key/),
        expect.stringMatching(/^steps\[0\]\.config\.format: unknown log type "albb"/),
        expect.stringMatching(/^steps\[1\]\.config\.where: unknown function "lwer" .*column 1/),
        expect.stringMatching(/^steps\[2\]\.config\.fixed: expected a positive duration/),
        expect.stringMatching(/^steps\[3\]\.config\.aggregations\.total\.value: sum needs a value expression/),
        expect.stringMatching(/^steps\[3\]\.config\.aggregations\.top\.n: topN needs n/),
        expect.stringMatching(/^steps\[4\]\.type: unknown step type "sort"/),
        expect.stringMatching(
          /^steps\[5\]\.config\.time_partitioning: expected "year" \| "month" \| "day" \| "hour" \| "none", got "week"/,
        ),
        expect.stringMatching(/^steps\[5\]\.input: "nowhere" is not an earlier step/),
      ]),
    );
    expect(problems).toHaveLength(9);
  });

  it('requires a join to name its inputs and give a key for each', () => {
    const problems = problemsOf(`
steps:
  - { name: a, type: read, config: { format: alb } }
  - { name: b, type: read, config: { format: clb } }
  - { name: j, type: join, input: { left: a, right: b }, config: { on: { left: "client_ip" } } }
  - { type: write, config: { format: jsonl } }
`);
    expect(problems).toEqual(['steps[2].config.on.right: missing the key expression of input "right"']);
  });

  it('rejects a pipeline that never writes', () => {
    expect(problemsOf('steps:\n  - type: read\n    config: { format: alb }\n')).toEqual([
      'steps: the pipeline never writes anything; add a step of type write',
    ]);
  });

  it('reports YAML syntax errors instead of throwing them', () => {
    expect(problemsOf('steps:\n  - type: read\n   config: [\n')[0]).toMatch(/^YAML: /);
  });

  it('reports a missing steps list at the root', () => {
    expect(problemsOf('name: x\n')).toEqual([expect.stringMatching(/^steps: is required/)]);
  });
});
