// What the import driver needs from a record scanner (CSV, JSON lines, JSON array).

export interface RecordScanner {
  /**
   * Scan `buf` (every byte read and not yet dropped), reporting each complete record to the
   * scanner's callback; with `eof`, also the last, possibly incomplete one. Returns the offset of
   * the first byte still needed: bytes before it may be dropped.
   */
  scan(buf: Buffer, eof: boolean): number;
  /** The bytes before `delta` were dropped: move every stored offset back by `delta`. */
  shift(delta: number): void;
}
