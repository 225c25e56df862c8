import { resolveMaxAttempts } from './s3-client.js';

describe('resolveMaxAttempts', () => {
  const saved = process.env['AWS_MAX_ATTEMPTS'];
  afterEach(() => {
    if (saved === undefined) delete process.env['AWS_MAX_ATTEMPTS'];
    else process.env['AWS_MAX_ATTEMPTS'] = saved;
  });

  it('takes the setting, else AWS_MAX_ATTEMPTS, else 8', () => {
    delete process.env['AWS_MAX_ATTEMPTS'];
    expect(resolveMaxAttempts({})).toBe(8);
    process.env['AWS_MAX_ATTEMPTS'] = '3';
    expect(resolveMaxAttempts({})).toBe(3);
    expect(resolveMaxAttempts({ maxAttempts: 5 })).toBe(5);
  });

  it('rejects a value that is not a positive integer, saying what to do', () => {
    for (const bad of ['0', '-1', '2.5', 'many']) {
      process.env['AWS_MAX_ATTEMPTS'] = bad;
      expect(() => resolveMaxAttempts({})).toThrow(
        `AWS_MAX_ATTEMPTS must be a positive integer (attempts per S3 request), got "${bad}"; unset it for the default of 8`,
      );
    }
  });
});
