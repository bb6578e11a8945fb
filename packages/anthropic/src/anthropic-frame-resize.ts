import { decode, encode } from 'jpeg-js';

/** A frame as it is sent: JPEG bytes and their size in pixels. */
export interface SizedJpeg {
  bytes: Uint8Array;
  width: number;
  height: number;
  /** The size of the frame as extracted, before any scaling. */
  sourceWidth: number;
  sourceHeight: number;
}

export interface FrameBox {
  maxWidth: number;
  maxHeight: number;
  /** JPEG quality of a re-encoded frame, 1 to 100. */
  quality: number;
}

/** The largest size within the box with the source's aspect ratio; never larger than the source. */
export function fitWithin(
  width: number,
  height: number,
  box: Pick<FrameBox, 'maxWidth' | 'maxHeight'>,
): { width: number; height: number } {
  const scale = Math.min(1, box.maxWidth / width, box.maxHeight / height);
  if (scale === 1) return { width, height };
  return {
    width: Math.max(1, Math.min(box.maxWidth, Math.round(width * scale))),
    height: Math.max(1, Math.min(box.maxHeight, Math.round(height * scale))),
  };
}

interface Span {
  start: number;
  /** Share of each source pixel from `start` on, summing to 1. */
  weights: Float64Array;
}

/**
 * For each target pixel along one axis, the source pixels it covers and by how much: an area
 * average, so a downscale by any factor keeps every source pixel's weight (no aliasing of
 * fine text, which nearest-neighbour or bilinear sampling would drop).
 */
function coverage(source: number, target: number): Span[] {
  const scale = source / target;
  const spans: Span[] = [];
  for (let index = 0; index < target; index += 1) {
    const from = index * scale;
    const to = Math.min(source, (index + 1) * scale);
    const start = Math.floor(from);
    const end = Math.min(source, Math.ceil(to));
    const weights = new Float64Array(Math.max(1, end - start));
    for (let pixel = start; pixel < end; pixel += 1) {
      weights[pixel - start] = (Math.min(pixel + 1, to) - Math.max(pixel, from)) / (to - from);
    }
    spans.push({ start, weights });
  }
  return spans;
}

/** Scales RGBA pixels down to `width × height` by area averaging, one axis at a time. */
function resample(
  pixels: Uint8Array,
  sourceWidth: number,
  sourceHeight: number,
  width: number,
  height: number,
): Uint8Array {
  const columns = coverage(sourceWidth, width);
  const rows = coverage(sourceHeight, height);
  const across = new Float32Array(width * sourceHeight * 4);
  for (let y = 0; y < sourceHeight; y += 1) {
    const rowStart = y * sourceWidth * 4;
    for (let x = 0; x < width; x += 1) {
      const { start, weights } = columns[x] as Span;
      let red = 0;
      let green = 0;
      let blue = 0;
      for (let index = 0; index < weights.length; index += 1) {
        const weight = weights[index] as number;
        const at = rowStart + (start + index) * 4;
        red += (pixels[at] as number) * weight;
        green += (pixels[at + 1] as number) * weight;
        blue += (pixels[at + 2] as number) * weight;
      }
      const out = (y * width + x) * 4;
      across[out] = red;
      across[out + 1] = green;
      across[out + 2] = blue;
    }
  }
  const result = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    const { start, weights } = rows[y] as Span;
    for (let x = 0; x < width; x += 1) {
      let red = 0;
      let green = 0;
      let blue = 0;
      for (let index = 0; index < weights.length; index += 1) {
        const weight = weights[index] as number;
        const at = ((start + index) * width + x) * 4;
        red += (across[at] as number) * weight;
        green += (across[at + 1] as number) * weight;
        blue += (across[at + 2] as number) * weight;
      }
      const out = (y * width + x) * 4;
      result[out] = Math.round(red);
      result[out + 1] = Math.round(green);
      result[out + 2] = Math.round(blue);
      result[out + 3] = 255;
    }
  }
  return result;
}

/**
 * The frame fitted into the box: the original bytes when it already fits, else decoded,
 * area-averaged down and re-encoded at `quality`. Throws when the bytes are not a decodable
 * JPEG (the caller names the frame).
 */
export function fitJpeg(bytes: Uint8Array, box: FrameBox): SizedJpeg {
  const decoded = decode(bytes, { useTArray: true, formatAsRGBA: true });
  const sourceWidth = decoded.width;
  const sourceHeight = decoded.height;
  const target = fitWithin(sourceWidth, sourceHeight, box);
  if (target.width === sourceWidth && target.height === sourceHeight) {
    return { bytes, width: sourceWidth, height: sourceHeight, sourceWidth, sourceHeight };
  }
  const pixels = resample(decoded.data, sourceWidth, sourceHeight, target.width, target.height);
  const encoded = encode({ data: pixels, width: target.width, height: target.height }, box.quality);
  return {
    bytes: new Uint8Array(encoded.data.buffer, encoded.data.byteOffset, encoded.data.byteLength),
    width: target.width,
    height: target.height,
    sourceWidth,
    sourceHeight,
  };
}
