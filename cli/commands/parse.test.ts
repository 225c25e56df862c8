import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../testing/run-cli.js';

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html (example entries)
const ALB_HTTP =
  'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" 10.0.0.1:80 200 "-" "-" TID_dc57cebed65b444ebc8177bb698fe166';
const ALB_LAMBDA_ERROR =
  'http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - 0.000 0.001 0.000 502 - 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 0 2018-11-30T22:22:48.364000Z "forward" "-" "LambdaInvalidResponse" "-" "-" "-" "-" TID_dc57cebed65b444ebc8177bb698fe166';
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html
const VPC_ACCEPT = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbeam-parse-'));
});

describe('logbeam parse', () => {
  it('prints one JSON object per AWS documentation line with the documented values', async () => {
    const { code, stdout } = await runCli(['parse', 'alb', '-'], { stdin: `${ALB_HTTP}\n${ALB_LAMBDA_ERROR}\n` });
    expect(code).toBe(0);
    const records = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      type: 'http',
      client_ip: '192.168.131.39',
      client_port: 2817,
      elb_status_code: 200,
      received_bytes: 34,
      sent_bytes: 366,
      user_agent: 'curl/7.46.0',
    });
    expect(records[1]).toMatchObject({
      elb_status_code: 502,
      target_ip: null,
      target_status_code: null,
      error_reason: 'LambdaInvalidResponse',
    });
  });

  it('reads gzip input without being told, whatever the file is called', async () => {
    const path = join(dir, 'flows.txt');
    await writeFile(path, gzipSync(`${VPC_ACCEPT}\n`));
    const { code, stdout } = await runCli(['parse', 'vpc_flow', path]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ srcaddr: '172.31.16.139', dstport: 22, packets: 20, bytes: 4249, action: 'ACCEPT' });
  });

  it('writes rejects to the dead-letter file with line number and reason, and still exits 0', async () => {
    const input = join(dir, 'mixed.log');
    const deadLetter = join(dir, 'rejects.jsonl');
    await writeFile(input, `${ALB_HTTP}\nthis is not an ALB line\n${ALB_HTTP}\n`);
    const { code, stdout, stderr } = await runCli(['parse', 'alb', input, '--dead-letter', deadLetter]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(2);
    const rejects = (await readFile(deadLetter, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rejects).toEqual([
      expect.objectContaining({ source: input, line: 2, raw: 'this is not an ALB line', reason: expect.any(String) }),
    ]);
    expect(stderr).toContain('rejected 1');
  });

  it('accepts a custom VPC flow log format for files without a header line', async () => {
    const { code, stdout } = await runCli(['parse', 'vpc-flow', '--format', '${srcaddr} ${dstaddr} ${bytes}'], {
      stdin: '10.0.0.1 10.0.0.2 1500\n',
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', bytes: 1500 });
  });

  it('fails with exit 2 and the list of types for an unknown type', async () => {
    const { code, stderr, stdout } = await runCli(['parse', 'elb2', '-']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown log type "elb2"');
    expect(stderr).toContain('alb, clb, nlb, cloudfront');
  });

  it('fails with exit 1 and says what to check for a missing file', async () => {
    const { code, stderr } = await runCli(['parse', 'alb', join(dir, 'nope.log')]);
    expect(code).toBe(1);
    expect(stderr).toContain('no such file');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('fails with exit 2 for an unknown flag and points at --help', async () => {
    const { code, stderr } = await runCli(['parse', 'alb', '--colour']);
    expect(code).toBe(2);
    expect(stderr).toContain("'--colour'");
    expect(stderr).toContain('logbeam parse --help');
  });

  it('prints a stack trace only with --verbose', async () => {
    const quiet = await runCli(['parse', 'alb', join(dir, 'nope.log')]);
    const verbose = await runCli(['parse', 'alb', join(dir, 'nope.log'), '--verbose']);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });
});
