/** Cuts a byte stream into pieces of an exact size (the last may be shorter), holding one piece at most. */
export class ChunkReader {
  private readonly pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private ended = false;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** The next `size` bytes, fewer only at the end of the stream (empty once it is over). */
  async next(size: number): Promise<Uint8Array> {
    while (this.pendingBytes < size && !this.ended) {
      const { done, value } = await this.reader.read();
      if (done) this.ended = true;
      else if (value.byteLength > 0) {
        this.pending.push(value);
        this.pendingBytes += value.byteLength;
      }
    }
    const length = Math.min(size, this.pendingBytes);
    const chunk = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const head = this.pending[0] as Uint8Array;
      const take = Math.min(head.byteLength, length - filled);
      chunk.set(head.subarray(0, take), filled);
      filled += take;
      if (take === head.byteLength) this.pending.shift();
      else this.pending[0] = head.subarray(take);
    }
    this.pendingBytes -= length;
    return chunk;
  }

  /** Stops reading the source (its error, if any, is ignored). */
  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}
