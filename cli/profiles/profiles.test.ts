import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdb, sqlString } from '../../io/sinks/testing/read-output.js';
import { ALB_SAMPLES, expectedAlbRowsPerDay, filesUnder } from '../testing/alb-samples.js';
import { runCli } from '../testing/run-cli.js';

const PROFILES = `default_profile: dev
profiles:
  dev:
    s3_endpoint: http://127.0.0.1:9000
    s3_region: eu-west-1
    s3_path_style: true
    output_root: lake
    workers: 1
    memory_mb: 64
    postgres: postgres://app:hunter2@db:5432/audit
  parts:
    postgres: { host: db, user: app, password: "s3cret:x", database: audit }
`;

/** A fresh working directory holding `text` as logbeam.yaml. */
async function workdir(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'logbeam-profiles-'));
  await writeFile(join(dir, 'logbeam.yaml'), text);
  return dir;
}

/** The environment without the variables that would take part in the precedence. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'LOGBEAM_PROFILE']) if (!(name in extra)) delete env[name];
  return env;
}

interface Shown {
  readonly profile: string | null;
  readonly selectedBy: string | null;
  readonly settings: Array<{ setting: string; value: string; source: string; from?: string }>;
}

async function configShow(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Shown> {
  const { code, stdout, stderr } = await runCli(['config', 'show', '--json', ...args], { cwd, env });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as Shown;
}

function setting(shown: Shown, name: string): { value: string; source: string; from?: string } {
  const { setting: _name, ...rest } = shown.settings.find((candidate) => candidate.setting === name)!;
  return rest;
}

describe('profiles (logbeam.yaml) and logbeam config show', () => {
  it('takes a flag over the environment over the profile over the default', async () => {
    const cwd = await workdir(PROFILES);
    const fromProfile = await configShow(cwd, []);
    expect(fromProfile).toMatchObject({ profile: 'dev', selectedBy: 'default_profile' });
    expect(setting(fromProfile, 's3_region')).toEqual({ value: 'eu-west-1', source: 'profile', from: 'dev' });
    expect(setting(fromProfile, 'workers')).toEqual({ value: '1', source: 'profile', from: 'dev' });
    expect(setting(fromProfile, 'bookmark_root')).toEqual({ value: '(none: no bookmark)', source: 'default' });

    const fromEnv = await configShow(cwd, [], cleanEnv({ AWS_REGION: 'us-west-2' }));
    expect(setting(fromEnv, 's3_region')).toEqual({ value: 'us-west-2', source: 'env', from: 'AWS_REGION' });

    const fromFlag = await configShow(cwd, ['--s3-region', 'ap-south-1', '--workers', '3'], cleanEnv({ AWS_REGION: 'us-west-2' }));
    expect(setting(fromFlag, 's3_region')).toEqual({ value: 'ap-south-1', source: 'flag', from: '--s3-region' });
    expect(setting(fromFlag, 'workers')).toEqual({ value: '3', source: 'flag', from: '--workers' });

    const byEnv = await configShow(cwd, [], cleanEnv({ LOGBEAM_PROFILE: 'parts' }));
    expect(byEnv).toMatchObject({ profile: 'parts', selectedBy: 'LOGBEAM_PROFILE' });
    expect(setting(byEnv, 's3_region')).toEqual({ value: 'us-east-1', source: 'default' });
    const byFlag = await configShow(cwd, ['--profile', 'dev'], cleanEnv({ LOGBEAM_PROFILE: 'parts' }));
    expect(byFlag).toMatchObject({ profile: 'dev', selectedBy: '--profile' });
  });

  it('masks the Postgres password, in a URL and in connection parts', async () => {
    const cwd = await workdir(PROFILES);
    const text = await runCli(['config', 'show'], { cwd, env: cleanEnv() });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('postgres://app:***@db:5432/audit');
    expect(text.stdout).not.toContain('hunter2');
    const parts = await runCli(['config', 'show', '--profile', 'parts', '--json'], { cwd, env: cleanEnv() });
    expect(parts.stdout).toContain('\\"password\\":\\"***\\"');
    expect(parts.stdout).not.toContain('s3cret');
  });

  it('fails fast on an unknown key, a bad value, an unknown profile, or a profile without a file', async () => {
    const typo = await workdir('profiles:\n  dev:\n    s3_endpont: http://127.0.0.1:9000\n    workers: 0\n');
    const bad = await runCli(['config', 'show'], { cwd: typo, env: cleanEnv() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${join(typo, 'logbeam.yaml')}: profiles.dev.s3_endpont: unknown key (did you mean "s3_endpoint"?)`);
    expect(bad.stderr).toContain('profiles.dev.workers: expected a positive integer, got 0');
    // Every command reads the file: a run fails the same way before reading anything.
    const run = await runCli(['run', 'alb', '--input', ALB_SAMPLES], { cwd: typo, env: cleanEnv() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('s3_endpont: unknown key');

    const top = await runCli(['config', 'show'], { cwd: await workdir('profile:\n  dev: {}\n'), env: cleanEnv() });
    expect(top.code).toBe(2);
    expect(top.stderr).toContain('profile: unknown key (did you mean "profiles"?)');

    const cwd = await workdir(PROFILES);
    const unknown = await runCli(['config', 'show', '--profile', 'dve'], { cwd, env: cleanEnv() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--profile dve: no such profile in');
    expect(unknown.stderr).toContain('(did you mean "dev"?); profiles: dev, parts');

    const none = await mkdtemp(join(tmpdir(), 'logbeam-profiles-none-'));
    const missing = await runCli(['config', 'show'], { cwd: none, env: cleanEnv({ LOGBEAM_PROFILE: 'dev' }) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`LOGBEAM_PROFILE=dev: there is no logbeam.yaml in ${none}`);
  });

  it('runs a pipeline into <output_root>/<pipeline> when the profile has an output root and --output is not given', async () => {
    const cwd = await workdir('profiles:\n  local:\n    output_root: lake\n    workers: 1\n');
    const { code, stderr } = await runCli(['run', 'alb', '--input', ALB_SAMPLES, '--profile', 'local', '--no-progress'], {
      cwd,
      env: cleanEnv(),
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows = await duckdb(
      `SELECT year || '-' || month || '-' || day AS day, count(*)::INTEGER AS n FROM read_parquet(${sqlString(`${join(cwd, 'lake', 'alb')}/**/*.parquet`)}, hive_partitioning = true) GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual(await expectedAlbRowsPerDay());
    // A flag still wins over the profile.
    const flagged = await runCli(['run', 'alb', '--input', ALB_SAMPLES, '--profile', 'local', '--output', 'elsewhere', '--no-progress'], {
      cwd,
      env: cleanEnv(),
    });
    expect(flagged.code).toBe(0);
    const elsewhere = await duckdb(
      `SELECT count(*)::INTEGER AS n FROM read_parquet(${sqlString(`${join(cwd, 'elsewhere')}/**/*.parquet`)})`,
    );
    expect(elsewhere).toEqual([{ n: rows.reduce((sum, row) => sum + Number(row['n']), 0) }]);
  });

  it('keeps a bookmark under <bookmark_root>/<pipeline>, so a second run reads nothing new', async () => {
    const cwd = await workdir('profiles:\n  local:\n    output_root: lake\n    bookmark_root: marks\n    workers: 1\n');
    const args = ['run', 'alb', '--input', ALB_SAMPLES, '--no-progress'];
    const first = await runCli(args, { cwd, env: cleanEnv({ LOGBEAM_PROFILE: 'local' }) });
    expect(first.code).toBe(0);
    const second = await runCli(args, { cwd, env: cleanEnv({ LOGBEAM_PROFILE: 'local' }) });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      `0 new files; ${(await filesUnder(ALB_SAMPLES)).length} already processed (bookmark ${join('marks', 'alb')})`,
    );
  });
});
