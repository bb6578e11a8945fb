/** The stream without its first `offset` bytes, for an uploader resuming a platform session. */
export function skipBytes(
  body: ReadableStream<Uint8Array>,
  offset: number,
): ReadableStream<Uint8Array> {
  let remaining = offset;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (remaining >= chunk.byteLength) {
          remaining -= chunk.byteLength;
          return;
        }
        controller.enqueue(remaining === 0 ? chunk : chunk.subarray(remaining));
        remaining = 0;
      },
    }),
  );
}
