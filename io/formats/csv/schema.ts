/**
 * @module formats/csv/schema
 * Generic CSV records: one string column per header column (snake_case names), the event-time column as an
 * ISO-8601 UTC `timestamp`. The declared schema is empty; a parser's schema lists the columns once it has read
 * the header.
 */
import { schema, type Schema } from '../../../core/schema.js';

/** One CSV row: column name -> value (null for an empty cell). */
export type CsvRecord = { readonly [column: string]: string | null };

/** Declared schema before any header is read. */
export const csvSchema: Schema = schema([]);

/**
 * Key, on the prototype of every record a parser makes, of the event-time column's name (or undefined). Not
 * enumerable and not an own property, so JSON output and record equality do not see it; records copied by
 * spreading lose it, and `eventTimeMicros` falls back to the default column rule.
 * @internal
 */
export const CSV_TIME_FIELD: unique symbol = Symbol('logbeam.csv.timeField');
