import { describe, expect, it } from '@jest/globals';
import { defaultDeadLetterLocation } from './options.js';

describe('defaultDeadLetterLocation', () => {
  it('puts dead letters in a hidden _dead_letter folder under the output, whatever its trailing slashes', () => {
    expect(defaultDeadLetterLocation('out/alb')).toBe('out/alb/_dead_letter');
    expect(defaultDeadLetterLocation('/data/out//')).toBe('/data/out/_dead_letter');
    expect(defaultDeadLetterLocation('s3://lake/alb/')).toBe('s3://lake/alb/_dead_letter');
  });
});
