import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../testing/run-cli.js';

const SAMPLES = join(REPO_ROOT, 'samples');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-exit-'));
});

describe('logbeam run: exit codes that tell the truth', () => {
  it('exits 4 when every record is rejected, and says what the input looks like', async () => {
    const output = join(dir, 'alb-from-cloudtrail');
    const { code, stdout, stderr } = await runCli([
      'run',
      'alb',
      '-i',
      join(SAMPLES, 'cloudtrail'),
      '-o',
      output,
      '--workers',
      '1',
      '--no-progress',
    ]);
    expect(code).toBe(4);
    expect(stdout).toContain('every record was rejected');
    expect(stderr).toContain('ReadLogs(alb) rejected every record it read');
    expect(stderr).toContain('looks like CloudTrail JSON');
    expect(stderr).toContain('try `logbeam run cloudtrail`');
    expect(stderr).toContain(join(output, '_dead_letter'));
  });

  it('reports all-rejected in the JSON summary, naming the read', async () => {
    const { code, stdout } = await runCli([
      'run',
      'vpc_flow',
      '-i',
      join(SAMPLES, 'alb'),
      '-o',
      join(dir, 'vpc-from-alb'),
      '--workers',
      '1',
      '--json',
    ]);
    expect(code).toBe(4);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'all-rejected', exitCode: 4, allRejected: ['ReadLogs(vpc_flow)'] });
  });

  it('names the read of a multi-input pipeline whose input is of another type', async () => {
    const { code, stderr } = await runCli([
      'run',
      'egress-features',
      '-o',
      join(dir, 'features'),
      '--workers',
      '1',
      '--no-progress',
      '--param',
      `curInput=${join(SAMPLES, 'cur')}`,
      '--param',
      `vpcFlowInput=${join(SAMPLES, 'alb')}`,
    ]);
    expect(code).toBe(4);
    expect(stderr).toContain('ReadVpcFlow reads vpc_flow, but the input looks like ALB access logs');
    expect(stderr).not.toContain('ReadCur reads');
    expect(stderr).not.toContain('try `logbeam run');
  });

  it('does not suggest another type when the input is the right one', async () => {
    const { code, stderr } = await runCli([
      'run',
      'alb',
      '-i',
      join(SAMPLES, 'alb'),
      '-o',
      join(dir, 'alb-ok'),
      '--workers',
      '1',
      '--no-progress',
    ]);
    expect(code).toBe(0);
    expect(stderr).not.toContain('looks like');
  });

  it('fails naming the path when a glob matches no file, and writes nothing', async () => {
    const output = join(dir, 'no-match');
    const pattern = join(SAMPLES, 'alb', '**', '*.log.bz2');
    const { code, stderr } = await runCli(['run', 'alb', '-i', pattern, '-o', output, '--no-progress']);
    expect(code).toBe(1);
    expect(stderr).toContain(`input "${pattern}" matched no files`);
    expect(stderr).toContain('--allow-empty');
    const written = await readdir(output, { recursive: true, withFileTypes: true }).catch(() => []);
    expect(written.filter((entry) => entry.isFile()).map((entry) => entry.name)).toEqual([]);
  });

  it('fails for an empty directory unless --allow-empty', async () => {
    const empty = join(dir, 'empty-input');
    await mkdir(empty);
    const refused = await runCli(['run', 'alb', '-i', empty, '-o', join(dir, 'empty-out'), '--no-progress']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`input "${empty}" matched no files`);
    const allowed = await runCli(['run', 'alb', '-i', empty, '-o', join(dir, 'empty-out'), '--no-progress', '--allow-empty', '--json']);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ status: 'ok', filesRead: 0 });
  });

  it('run csv on an empty input: fails naming it, and with --allow-empty exits 0 with nothing written (no header is needed)', async () => {
    const empty = join(dir, 'empty-csv');
    await mkdir(empty);
    const output = join(dir, 'empty-csv-out');
    const refused = await runCli(['run', 'csv', '-i', empty, '-o', output, '--no-progress']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`input "${empty}" matched no files`);
    const allowed = await runCli(['run', 'csv', '-i', empty, '-o', output, '--no-progress', '--allow-empty', '--json']);
    expect({ code: allowed.code, stderr: allowed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(allowed.stdout)).toMatchObject({ status: 'ok', filesRead: 0 });
    const written = await readdir(output, { recursive: true }).catch(() => []);
    expect(written).toEqual([]);
  });

  it('a YAML pipeline reading text: an empty input fails naming it unless --allow-empty, as the log reads do', async () => {
    const empty = join(dir, 'empty-text');
    await mkdir(empty);
    const spec = join(dir, 'text.yaml');
    await writeFile(
      spec,
      'steps:\n  - { name: raw, type: read, config: { format: text } }\n  - { type: parse, config: { format: alb } }\n  - { type: write, config: { format: jsonl } }\n',
    );
    const refused = await runCli(['run', spec, '-i', empty, '-o', join(dir, 'empty-text-out'), '--no-progress']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`input "${empty}" matched no files`);
    const allowed = await runCli(['run', spec, '-i', empty, '-o', join(dir, 'empty-text-out'), '--no-progress', '--allow-empty', '--json']);
    expect({ code: allowed.code, stderr: allowed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(allowed.stdout)).toMatchObject({ status: 'ok', filesRead: 0 });
  });

  it('says "0 new files; N already processed" when a bookmark leaves nothing new, and exits 0', async () => {
    const bookmark = join(dir, 'nothing-new.json');
    const args = [
      'run',
      'alb',
      '-i',
      join(SAMPLES, 'alb'),
      '-o',
      join(dir, 'nothing-new'),
      '--bookmark',
      bookmark,
      '--workers',
      '1',
      '--no-progress',
    ];
    expect((await runCli(args)).code).toBe(0);
    const again = await runCli(args);
    expect(again.code).toBe(0);
    const files = (await readdir(join(SAMPLES, 'alb'), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).length;
    expect(again.stdout).toContain(`0 new files; ${files} already processed`);
  });
});

describe('logbeam parse --type auto', () => {
  it('guesses the type of a file, says so on stderr, and parses it with that type', async () => {
    const file = join(SAMPLES, 'aws-doc-examples', 'vpc-flow.txt');
    const auto = await runCli(['parse', '--type', 'auto', file]);
    const named = await runCli(['parse', 'vpc_flow', file]);
    expect(auto.code).toBe(0);
    expect(auto.stderr).toContain('looks like VPC flow logs: parsing as vpc_flow');
    expect(auto.stdout).toBe(named.stdout);
    expect(auto.stdout.trim().split('\n').length).toBeGreaterThan(0);
  });

  it('guesses from standard input too', async () => {
    const { readFile } = await import('node:fs/promises');
    const { code, stdout, stderr } = await runCli(['parse', 'auto', '-'], {
      stdin: await readFile(join(SAMPLES, 'aws-doc-examples', 'cloudtrail.json')),
    });
    expect(code).toBe(0);
    expect(stderr).toContain('looks like CloudTrail JSON');
    expect(JSON.parse(stdout.trim().split('\n')[0]!)).toHaveProperty('eventName');
  });

  it('says what the input looks like when a named type rejects every record', async () => {
    const { code, stdout, stderr } = await runCli(['parse', 'alb', join(SAMPLES, 'aws-doc-examples', 'vpc-flow.txt')]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('looks like VPC flow logs: try `logbeam parse vpc_flow`');
  });

  it('fails with exit 1 and says to name the type when nothing fits', async () => {
    const { code, stderr } = await runCli(['parse', '--type', 'auto', '-'], { stdin: 'dear reader,\nthis is not a log\n' });
    expect(code).toBe(1);
    expect(stderr).toContain('cannot tell what kind of log <stdin> is');
    expect(stderr).toContain('logbeam parse <alb|');
  });
});
