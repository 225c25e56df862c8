/** Registers logbeam's jest matchers for every test file (jest `setupFilesAfterEnv`). */
import { expect } from '@jest/globals';
import { logbeamMatchers } from '../testing.js';

expect.extend(logbeamMatchers);

declare module 'expect' {
  interface Matchers<R> {
    /** Same elements and multiplicities as `expected`, in any order. */
    toEqualInAnyOrder(expected: readonly unknown[]): R;
  }
}
