/**
 * @module sinks/redshift/redshift-sql
 * The statements of one Redshift load, in order, inside one transaction: lock the target (Redshift has no
 * advisory locks, so concurrent loads of one table serialise here instead of failing), create a temporary
 * staging table, `COPY` the staged S3 files into it by manifest with an IAM role, then the staging merge
 * (`DELETE ... USING` + `INSERT`, as Redshift lacks ON CONFLICT), and drop the staging table.
 */
import type { Schema } from '../../../core/schema.js';
import { createStagingSql, deleteInsertSql, dropTablesSql } from '../postgres/merge-sql.js';
import { quoteConfigLiteral, quoteIdentifier, quoteTable, type TableName } from '../postgres/sql-identifier.js';

/** The statements of a load, grouped so tests can run the parts PostgreSQL shares with Redshift. */
export interface RedshiftLoadSql {
  readonly lock: string;
  readonly createStaging: string;
  /** `COPY ... FROM 's3://.../manifest.json' IAM_ROLE '...' MANIFEST FORMAT AS CSV ...` (Redshift only). */
  readonly copy: string;
  /** DELETE ... USING, INSERT ... SELECT (valid PostgreSQL too). */
  readonly merge: readonly [string, string];
  readonly dropStaging: string;
}

/** Options of {@link redshiftLoadSql}. */
export interface RedshiftLoadSqlOptions {
  readonly target: TableName;
  readonly staging: TableName;
  readonly columns: Schema;
  readonly key: readonly string[];
  /** `s3://bucket/key` of the manifest listing the staged files. */
  readonly manifestUri: string;
  readonly iamRole: string;
}

/**
 * @example redshiftLoadSql({ ..., manifestUri: 's3://stage/run/manifest.json', iamRole: 'arn:aws:iam::1:role/load' }).copy
 * // `COPY "stage_x" ("customer", ...) FROM 's3://stage/run/manifest.json' IAM_ROLE 'arn:aws:iam::1:role/load' MANIFEST FORMAT AS CSV TIMEFORMAT 'auto'`
 */
export function redshiftLoadSql(options: RedshiftLoadSqlOptions): RedshiftLoadSql {
  const columns = options.columns.fields.map((field) => quoteIdentifier(field.name)).join(', ');
  return {
    lock: `LOCK TABLE ${quoteTable(options.target)}`,
    createStaging: createStagingSql(options.staging, options.target, 'redshift'),
    copy: `COPY ${quoteIdentifier(options.staging.name)} (${columns}) FROM ${quoteConfigLiteral(options.manifestUri, 'manifest URI')} IAM_ROLE ${quoteConfigLiteral(options.iamRole, 'redshift.iamRole')} MANIFEST FORMAT AS CSV TIMEFORMAT 'auto'`,
    merge: deleteInsertSql(options.target, { schema: undefined, name: options.staging.name }, options.columns, options.key),
    dropStaging: dropTablesSql([{ schema: undefined, name: options.staging.name }]),
  };
}
