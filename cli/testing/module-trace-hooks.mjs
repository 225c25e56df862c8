/**
 * @module cli/testing/module-trace-hooks
 * Module customization hooks (registered by cli/testing/module-trace.ts in a child process) that append the URL of
 * every module the process resolves, one a line, to the file named by LOGBEAM_MODULE_TRACE.
 */
import { appendFileSync } from 'node:fs';

const out = process.env.LOGBEAM_MODULE_TRACE;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (out) appendFileSync(out, `${resolved.url}\n`);
  return resolved;
}
