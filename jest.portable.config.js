/** Portable-runner integration tests (Flink job server; needs Java 17 and Maven): `npm run test:portable`. */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/portable/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 600000,
  maxWorkers: 1,
  // gRPC keeps sockets to the stopped job server alive for a while; the suite's own afterAll stops every process it started.
  forceExit: true,
};
