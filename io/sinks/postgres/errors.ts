/**
 * @module sinks/postgres/errors
 * Typed errors of the PostgreSQL and Redshift sinks; each message says what to do.
 */

/** Another run holds the load lock of the same target table. */
export class ConcurrentLoadError extends Error {
  override readonly name = 'ConcurrentLoadError';
  constructor(readonly table: string) {
    super(`another logbeam run is loading ${table} (its advisory lock is held); wait for it to finish, then run again`);
  }
}

/** The destination does not match the sink's options (missing table, columns or key constraint). */
export class PostgresSinkConfigError extends Error {
  override readonly name = 'PostgresSinkConfigError';
}
