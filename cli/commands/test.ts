/**
 * @module cli/commands/test
 * `logbeam test <pipeline.yaml>...`: runs the `tests:` section of declarative pipelines on the direct runner
 * and prints, for each failing test, what differs (like `vector test` and dbt tests). The file is checked
 * first exactly as `logbeam validate` checks it, expected columns included.
 * Exit codes: 0 every test passed, 1 a test failed, 2 a pipeline or test spec is invalid.
 */
import { extname } from 'node:path';
import { loadDeclarativeSpec } from '../../pipelines/declarative/load-spec.js';
import { InvalidSpecError } from '../../pipelines/declarative/spec.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { parseFlags } from '../flags.js';
import { runPipelineTest, TestSpecError, type TestOutcome } from '../pipeline-tests/run-pipeline-test.js';

export const TEST_HELP = `Usage: logbeam test <pipeline.yaml>... [options]

Runs the tests: section of declarative pipelines on the direct runner, on the input lines each test gives,
and compares what each write step wrote and which records went to the dead letters with what the test
expects. A failing test prints the difference: expected rows no written row matches (-, with the nearest
written row and the columns that differ) and written rows nobody expected (+).

  tests:
    - name: keeps server errors only
      inputs:
        logs:                        # every read step, by name
          lines: ["https 2024-06-01T00:00:00Z ...", "..."]   # or file: fixtures/alb.log (next to the pipeline)
      outputs:
        errors:                      # a write step: the rows it writes, in any order
          - { elb_status_code: 502, client_ip: 192.0.2.1 }   # only the columns listed are compared
      dead_letters:                  # default: none expected
        - { reason: "expected at least 18", line: 3 }       # reason is a substring

Rows are compared as 'logbeam query --format json' prints them (timestamps as "2024-06-01 00:00:00",
Hive partition columns included); numbers match within 1e-9. The file is checked first as 'logbeam
validate' checks it, and an expected column the write step does not write is an error.

Options:
  --only <text>   run only the tests whose name contains <text>
  -h, --help      this help

Exit codes: 0 every test passed, 1 a test failed, 2 a pipeline file or its tests are invalid (the message
  says what to fix).
Example: logbeam test samples/pipelines/alb-server-errors.yaml`;

function report(file: string, outcomes: readonly TestOutcome[]): string {
  const lines = [`${file}:`];
  for (const outcome of outcomes) {
    lines.push(`  ${outcome.passed ? 'PASS' : 'FAIL'}  ${outcome.name}`);
    for (const failure of outcome.failures) lines.push(`        ${failure}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function testCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags('test', args, { only: { type: 'string' } }, Infinity);
  if (values['help'] === true) {
    process.stdout.write(`${TEST_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('name the pipeline file(s) to test, e.g. logbeam test pipeline.yaml', 'test');
  const only = typeof values['only'] === 'string' ? values['only'] : undefined;
  let passed = 0;
  let failed = 0;
  for (const file of positionals) {
    if (!['.yaml', '.yml', '.json'].includes(extname(file).toLowerCase()))
      throw new UsageError(`${file}: test runs the tests of declarative pipeline files (.yaml, .yml, .json)`, 'test');
    let spec: Awaited<ReturnType<typeof loadDeclarativeSpec>>;
    try {
      spec = await loadDeclarativeSpec(file);
    } catch (error) {
      if (error instanceof InvalidSpecError)
        throw new UsageError(
          `${file} is invalid, ${error.problems.length} problem(s):\n${error.message}`,
          'test',
          'fix the problems above (logbeam validate shows the same)',
        );
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`pipeline file ${file} does not exist`, 'test');
      throw new CliError(`cannot read the pipeline file ${file}: ${(error as Error).message}`, undefined, { cause: error });
    }
    if (spec.tests === undefined || spec.tests.length === 0)
      throw new UsageError(`${file} has no tests: section`, 'test', "add one (see 'logbeam test --help' for its form)");
    const selected = spec.tests.filter((test) => only === undefined || test.name.includes(only));
    if (selected.length === 0) throw new UsageError(`${file}: no test name contains "${only}"`, 'test');
    const outcomes: TestOutcome[] = [];
    for (const test of selected) {
      try {
        outcomes.push(await runPipelineTest(spec, test, file));
      } catch (error) {
        if (error instanceof TestSpecError) throw new UsageError(error.message, 'test', 'fix the test in the pipeline file');
        throw error;
      }
    }
    passed += outcomes.filter((outcome) => outcome.passed).length;
    failed += outcomes.filter((outcome) => !outcome.passed).length;
    process.stdout.write(report(file, outcomes));
  }
  process.stdout.write(`${passed + failed} test(s): ${passed} passed, ${failed} failed\n`);
  return failed === 0 ? EXIT.ok : EXIT.failure;
}
