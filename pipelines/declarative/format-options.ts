/**
 * @module declarative/format-options
 * The format options of a `read` or `parse` step's config (`vpc_format`, `envelope`, `time_column`,
 * `delimiter`), as the log formats take them.
 */
import type { FormatOptions } from '../../io/formats/types.js';

/** The `FormatOptions` that a step's config sets. */
export function formatOptionsOf(config: {
  readonly vpc_format?: string;
  readonly envelope?: 'cloudwatch';
  readonly time_column?: string;
  readonly delimiter?: string;
}): FormatOptions {
  return {
    ...(config.vpc_format === undefined ? {} : { vpcFormat: config.vpc_format }),
    ...(config.envelope === undefined ? {} : { envelope: config.envelope }),
    ...(config.time_column === undefined ? {} : { timeColumn: config.time_column }),
    ...(config.delimiter === undefined ? {} : { delimiter: config.delimiter }),
  };
}
