/**
 * @module cli/testing/module-trace-register
 * `node --import` this to record the modules a process resolves (see module-trace-hooks.mjs).
 */
import { register } from 'node:module';

register(new URL('./module-trace-hooks.mjs', import.meta.url));
