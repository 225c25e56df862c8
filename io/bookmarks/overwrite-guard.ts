/**
 * @module bookmarks/overwrite-guard
 * The error a bookmark run stops with when its overwrite-partitions output would delete rows of inputs the
 * bookmark keeps as processed and the run does not read again (they would be lost, not rewritten).
 */

/** Thrown before the run's commit decision: nothing is published. */
export class OverwriteWouldLoseRowsError extends Error {
  constructor(
    readonly bookmark: string,
    /** `<output>/<partition>` keys the run would replace that hold those inputs' rows. */
    readonly partitions: readonly string[],
    /** The inputs whose rows would be lost. */
    readonly inputs: readonly string[],
  ) {
    const shown = (items: readonly string[]): string =>
      `${items.slice(0, 10).join(', ')}${items.length > 10 ? ` and ${items.length - 10} more` : ''}`;
    super(
      `--write-mode overwrite-partitions would replace ${partitions.length} partition(s) (${shown(partitions)}) that also hold rows of ${inputs.length} input(s) bookmark ${bookmark} records as processed and this run does not read again: ${shown(inputs)}. ` +
        `Their rows would be lost, so nothing was published. Make the run read them again too (logbeam bookmark rewind ${bookmark} --days-from <an earlier day>), or run in append mode if the inputs it reads are new`,
    );
    this.name = 'OverwriteWouldLoseRowsError';
  }
}
