/** jest runs the TypeScript sources directly (swc strips types, keeps ESM); `npm run typecheck` checks types. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: [
    '\\.faults\\.test\\.ts$',
    '/node_modules/',
    '/dist/',
    '/test/portable/',
    '<rootDir>/tmp/',
    '<rootDir>/.cache/',
    '<rootDir>/bench/',
  ],
  setupFilesAfterEnv: ['<rootDir>/test/setup/jest-matchers.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60000,
};
