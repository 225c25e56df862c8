import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

const SAMPLE = join(REPO_ROOT, 'samples/pipelines/alb-server-errors.yaml');

/** A copy of the sample pipeline (with its fixtures folder) in a fresh folder, with `edit` applied to its text. */
async function editedSample(edit: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'logbeam-pipeline-test-'));
  await mkdir(join(dir, 'fixtures'));
  await copyFile(join(REPO_ROOT, 'samples/pipelines/fixtures/alb-truncated.log'), join(dir, 'fixtures/alb-truncated.log'));
  const text = await readFile(SAMPLE, 'utf8');
  const edited = edit(text);
  expect(edited).not.toBe(text);
  const path = join(dir, 'pipeline.yaml');
  await writeFile(path, edited);
  return path;
}

describe('logbeam test', () => {
  it('passes the tests of the shipped sample pipeline (exit 0)', async () => {
    const { code, stdout, stderr } = await runCli(['test', 'samples/pipelines/alb-server-errors.yaml']);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      [
        'samples/pipelines/alb-server-errors.yaml:',
        '  PASS  keeps only the 5xx responses, with the error reason',
        '  PASS  sends a truncated line to the dead letters and writes nothing',
        '2 test(s): 2 passed, 0 failed',
        '',
      ].join('\n'),
    );
    expect(code).toBe(0);
  });

  it('fails (exit 1) on a wrong expectation and prints what differs: the row, the nearest written row, the dead letters', async () => {
    const path = await editedSample((text) => text.replace('elb_status_code: 502', 'elb_status_code: 503').replace('line: 2', 'line: 1'));
    const { code, stdout } = await runCli(['test', path]);
    expect(code).toBe(1);
    expect(stdout).toContain('  FAIL  keeps only the 5xx responses, with the error reason\n');
    expect(stdout).toContain('        output errors: expected 1 row(s), written 1; 0 matched\n');
    expect(stdout).toContain('          - expected {"year":2018,"month":"11","day":"30","time":"2018-11-30 22:23:00.186641"');
    expect(stdout).toContain('              nearest written row differs in elb_status_code: expected 503, got 502\n');
    expect(stdout).toContain('  FAIL  sends a truncated line to the dead letters and writes nothing\n');
    expect(stdout).toContain('        dead letters: expected 1, got 1\n');
    expect(stdout).toContain('          - expected a dead letter {"reason":"expected at least 18","line":1} (reason is a substring)\n');
    expect(stdout).toMatch(
      / {10}\+ not expected: line 2 \(step logs\): line has 7 fields, expected at least 18; raw "https 2018-07-02T22:23:00/,
    );
    expect(stdout).toContain('2 test(s): 0 passed, 2 failed\n');
  });

  it('reports a written row that no expected row asks for', async () => {
    const path = await editedSample((text) => {
      const serverError = /\n {10}(- 'http 2018-11-30[^\n]*)\n/.exec(text)![1]!;
      return text
        .replace('        file: fixtures/alb-truncated.log', `        lines:\n          ${serverError}`)
        .replace(/ {4}dead_letters:\n {6}- reason: expected at least 18\n {8}line: 2\n/, '');
    });
    const { code, stdout } = await runCli(['test', path, '--only', 'truncated']);
    expect(code).toBe(1);
    expect(stdout).not.toContain('keeps only the 5xx');
    expect(stdout).toContain('        output errors: expected 0 row(s), written 1; 0 matched\n');
    expect(stdout).toContain('          + written but not expected: {"time":"2018-11-30 22:23:00.186641","client_ip":"192.168.131.39"');
    expect(stdout).not.toContain('dead letters:');
    expect(stdout).toContain('1 test(s): 0 passed, 1 failed\n');
  });

  it('exits 2 naming what to fix in a bad test spec: unknown steps, a misspelt column, a missing input, a missing file', async () => {
    const path = await editedSample((text) =>
      text
        .replace('error_reason: LambdaInvalidResponse', 'error_reson: LambdaInvalidResponse')
        .replace('    outputs:\n      errors: []', '    outputs:\n      erors: []')
        .replace('name: keeps only', 'extra: 1\n    name: keeps only'),
    );
    const invalid = await runCli(['test', path]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('tests[0].extra: unknown key (expected one of: name, inputs, outputs, dead_letters)');
    expect(invalid.stderr).toContain(
      'tests[0].outputs.errors[0].error_reson: step "errors" writes no column "error_reson" (did you mean "error_reason"?)',
    );
    expect(invalid.stderr).toContain(
      'tests[1].outputs.erors: not a write step of this pipeline (did you mean "errors"?); write steps: errors',
    );
    const validate = await runCli(['validate', path]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('error_reson');
    const valid = await runCli(['validate', 'samples/pipelines/alb-server-errors.yaml']);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain(
      'samples/pipelines/alb-server-errors.yaml: valid (alb-server-errors), 4 steps, 2 test(s) (logbeam test runs them)\n',
    );

    const noInput = await editedSample((text) =>
      text.replace('    inputs:\n      logs:\n        file:', '    inputs:\n      log:\n        file:'),
    );
    const missing = await runCli(['test', noInput]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('tests[1].inputs.log: not a read step of this pipeline (did you mean "logs"?); read steps: logs');
    expect(missing.stderr).toContain(
      `tests[1].inputs: missing the input of read step "logs" (a test never reads the pipeline's real input)`,
    );

    const noFile = await editedSample((text) => text.replace('fixtures/alb-truncated.log', 'fixtures/nope.log'));
    const absent = await runCli(['test', noFile]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain('inputs.logs.file fixtures/nope.log is not a file');

    const noTests = await runCli(['test', 'samples/pipelines/alb-to-parquet.yaml']);
    expect(noTests.code).toBe(2);
    expect(noTests.stderr).toContain('samples/pipelines/alb-to-parquet.yaml has no tests: section');
  });
});
