/**
 * The long fault-injection suite (`npm run test:faults`, also run by .ci/run): crashes at every commit step,
 * S3 faults through a fault-injecting proxy, disk full, fuzzed input. Files are named `*.faults.test.ts` and sit
 * beside the module they break; `npm test` runs the short variants, not these.
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/**/*.faults.test.ts'],
  // The base config ignores *.faults.test.ts (so `npm test` skips them); this suite must not.
  testPathIgnorePatterns: base.testPathIgnorePatterns.filter((pattern) => !pattern.includes('faults')),
  testTimeout: 600000,
  maxWorkers: 1,
};
