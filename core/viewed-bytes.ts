/**
 * @module viewed-bytes
 * A buffer's `DataView`, made once per buffer for the word-at-a-time byte copies and scans (byte-copy.ts,
 * byte-scan.ts): a view made per copy or scan would cost what the words save. Readers hand one chunk buffer to
 * many calls in a row, so a cache of the last buffer seen hits almost always. It keeps that one buffer alive.
 */

/** The `DataView` over the buffer last asked for, made again only when another buffer is asked for. */
export class ViewedBytes {
  private viewed: Uint8Array | undefined;
  private view: DataView | undefined;

  /**
   * The `DataView` over exactly `bytes` (its offset and length within its ArrayBuffer).
   * @example const views = new ViewedBytes(); indexOfByte(chunk, views.of(chunk), 0, chunk.length, 0x20)
   */
  of(bytes: Uint8Array): DataView {
    if (bytes !== this.viewed) {
      this.viewed = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return this.view!;
  }
}
