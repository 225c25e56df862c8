import { runCli } from './testing/run-cli.js';

describe('logbeam', () => {
  it('prints the command list on --help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of [
      'run <pipeline>',
      'parse <type>',
      'explain <pipeline>',
      'ddl <type>',
      'generate <type>',
      'bookmark <show|reset|rewind>',
      'query ["<sql>"] --from',
      'test <pipeline.yaml>',
      'config show',
    ])
      expect(stdout).toContain(command);
  });

  it.each(['run', 'parse', 'explain', 'ddl', 'generate', 'bookmark', 'list', 'query', 'test', 'config', 'worker-pool', 'job'])(
    'prints the usage of %s on --help and exits 0',
    async (command) => {
      const { code, stdout, stderr } = await runCli([command, '--help']);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain(`logbeam ${command}`);
    },
  );

  it('fails with exit 2 and the known commands for an unknown command', async () => {
    const { code, stderr } = await runCli(['convert', 'alb']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "convert"');
    expect(stderr).toContain('run, parse, explain');
  });

  it('fails with exit 2 and the usage when no command is given', async () => {
    const { code, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: logbeam <command>');
  });

  it('lists the built-in pipelines and log types', async () => {
    const { code, stdout } = await runCli(['list']);
    expect(code).toBe(0);
    for (const name of ['alb', 'clb', 'nlb', 'cloudfront', 's3_access', 'vpc_flow', 'cloudtrail', 'cur', 'csv'])
      expect(stdout).toContain(`  ${name}`);
  });
});
