import { readJpegSize } from '@vbuckets/testkit';
import { decode, encode } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { fitJpeg, fitWithin } from '../src/anthropic-frame-resize';

const box = { maxWidth: 768, maxHeight: 768 };

/** A JPEG of one-pixel black and white stripes: any sampling that skips pixels shows it. */
function stripes(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * 4;
      const level = x % 2 === 0 ? 0 : 255;
      data.set([level, level, level, 255], at);
    }
  }
  const encoded = encode({ data, width, height }, 100).data;
  return new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}

describe('fitWithin', () => {
  it('fits landscape, vertical and square frames into the box, keeping the aspect ratio', () => {
    expect(fitWithin(1920, 1080, box)).toEqual({ width: 768, height: 432 });
    expect(fitWithin(1080, 1920, box)).toEqual({ width: 432, height: 768 });
    expect(fitWithin(1080, 1080, box)).toEqual({ width: 768, height: 768 });
    expect(fitWithin(3840, 2160, { maxWidth: 512, maxHeight: 768 })).toEqual({
      width: 512,
      height: 288,
    });
  });

  it('never enlarges a frame', () => {
    expect(fitWithin(320, 240, box)).toEqual({ width: 320, height: 240 });
  });
});

describe('fitJpeg', () => {
  it('scales down by area averaging: one-pixel stripes become an even grey', () => {
    const fitted = fitJpeg(stripes(1536, 64), { ...box, quality: 90 });
    expect(fitted).toMatchObject({ width: 768, height: 32, sourceWidth: 1536, sourceHeight: 64 });
    expect(readJpegSize(fitted.bytes)).toEqual({ width: 768, height: 32 });
    const pixels = decode(fitted.bytes, { useTArray: true }).data;
    const levels: number[] = [];
    for (let index = 0; index < pixels.length; index += 4) levels.push(pixels[index] ?? 0);
    expect(Math.min(...levels)).toBeGreaterThan(110);
    expect(Math.max(...levels)).toBeLessThan(145);
  });

  it('returns the same bytes when the frame already fits', () => {
    const small = stripes(64, 48);
    const fitted = fitJpeg(small, { ...box, quality: 80 });
    expect(fitted.bytes).toBe(small);
    expect(fitted).toMatchObject({ width: 64, height: 48 });
  });

  it('throws on bytes that are not a JPEG', () => {
    expect(() => fitJpeg(new Uint8Array([1, 2, 3, 4]), { ...box, quality: 80 })).toThrow();
  });
});
