/**
 * @module logbeam/postgres
 * Loading into PostgreSQL and Redshift (COPY into staging tables, one idempotent merge per run), and the
 * audit-csv pipeline built on it. Kept apart from the main entry point so the `pg` client loads only when used.
 */
export { postgresSink, PostgresSink } from './io/sinks/postgres/postgres-sink.js';
export type { PostgresSinkOptions } from './io/sinks/postgres/postgres-sink.js';
export { redshiftSink, RedshiftSink } from './io/sinks/redshift/redshift-sink.js';
export type { RedshiftSinkOptions } from './io/sinks/redshift/redshift-sink.js';
export { ConcurrentLoadError, PostgresSinkConfigError } from './io/sinks/postgres/errors.js';
export { quoteIdentifier } from './io/sinks/postgres/sql-identifier.js';
export type { PostgresConnection } from './io/sinks/postgres/connection.js';
export { auditCsvPipeline, runAuditCsv } from './pipelines/audit-csv.js';
export type { AuditCsvOptions, AuditCsvOutcome } from './pipelines/audit-csv.js';
export { markerStatus, WAITING_FOR_MARKER_EXIT_CODE } from './pipelines/audit-csv/marker.js';
