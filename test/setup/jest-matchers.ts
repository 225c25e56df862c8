/** Registers logbeam's jest matchers for every test file (jest `setupFilesAfterEnv`). */
import { expect } from '@jest/globals';
import { logbeamMatchers } from '../testing.js';

expect.extend(logbeamMatchers);
