/**
 * @module viewed-bytes
 * A buffer's `DataView`, made once per buffer for the word-at-a-time byte copies and scans (byte-copy.ts,
 * byte-scan.ts): a view made per copy or scan would cost what the words save. Readers hand one chunk buffer to
 * many calls in a row, and a writer of rows often alternates between two (a key's bytes and a shared constant,
 * say), so a cache of the last two buffers seen hits almost always. It keeps those two buffers alive.
 */

/** The `DataView`s over the two buffers last asked for; a view is made again only for a third buffer. */
export class ViewedBytes {
  private viewed: Uint8Array | undefined;
  private view: DataView | undefined;
  private previous: Uint8Array | undefined;
  private previousView: DataView | undefined;

  /**
   * The `DataView` over exactly `bytes` (its offset and length within its ArrayBuffer).
   * @example const views = new ViewedBytes(); indexOfByte(chunk, views.of(chunk), 0, chunk.length, 0x20)
   */
  of(bytes: Uint8Array): DataView {
    if (bytes === this.viewed) return this.view!;
    // Alternating between two buffers (EgressRows: each key's bytes, then an hour's date) must not make a view
    // per call: measured 0.14-0.18 s of a VPC egress worker with a one-buffer cache.
    const view = bytes === this.previous ? this.previousView! : new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.previous = this.viewed;
    this.previousView = this.view;
    this.viewed = bytes;
    this.view = view;
    return view;
  }
}
