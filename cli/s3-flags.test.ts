import { describe, expect, it } from '@jest/globals';
import { s3SettingsFromFlags } from './s3-flags.js';
import { runCli } from './testing/run-cli.js';

describe('the S3 connection flags', () => {
  it('give only the settings that were passed', () => {
    expect(s3SettingsFromFlags({})).toEqual({});
    expect(s3SettingsFromFlags({ s3PathStyle: false })).toEqual({});
    expect(s3SettingsFromFlags({ s3Endpoint: 'http://127.0.0.1:9000', s3Region: 'eu-west-1', s3PathStyle: true })).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
    });
  });

  it.each([
    ['bookmark', ['bookmark', 'show', 's3://b/bm.json']],
    ['query', ['query', 'select 1', '--from', 's3://b/out']],
    ['catalog', ['catalog', 'register', 'alb', '--location', 's3://b/out', '--database', 'logs']],
    ['config', ['config', 'show']],
  ])(
    '%s rejects a bad --s3-endpoint before doing anything, naming the flag',
    async (_command, args) => {
      const { code, stderr } = await runCli([...args, '--s3-endpoint', 'not-a-url', '--s3-region', 'eu-west-1']);
      expect(stderr).toContain('--s3-endpoint');
      expect(stderr).toContain('http:// or https:// URL');
      expect(code).toBe(2);
    },
    60_000,
  );
});
