import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23', '-pix_fmt', 'yuv420p'];

/** Where each scene of `scenes.mp4` is, in seconds. */
export const SCENES = {
  clean: [0, 2],
  bars: [2, 4],
  dark: [4, 6],
  blurred: [6, 8],
} as const;

export interface ThumbnailFixtures {
  /** 8 s, 320×240: a clean test pattern, colour bars, the pattern darkened, the pattern blurred. */
  scenes: string;
  /** 3 s of one flat colour. */
  still: string;
}

/** Clips for the candidate tests, made in `folder` with the real ffmpeg. */
export function createThumbnailFixtures(folder: string): ThumbnailFixtures {
  const scenes = join(folder, 'scenes.mp4');
  const still = join(folder, 'still.mp4');
  const pattern = 'testsrc2=size=320x240:rate=25:duration=2';
  ffmpeg([
    ...['-f', 'lavfi', '-i', pattern],
    ...['-f', 'lavfi', '-i', 'smptebars=size=320x240:rate=25:duration=2'],
    ...['-f', 'lavfi', '-i', `${pattern},lutyuv=y=val*0.15`],
    ...['-f', 'lavfi', '-i', `${pattern},boxblur=10`],
    '-filter_complex',
    '[0:v][1:v][2:v][3:v]concat=n=4:v=1:a=0',
    ...x264,
    scenes,
  ]);
  ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x3366aa:size=320x240:rate=25:duration=3', ...x264, still]);
  return { scenes, still };
}

/** True when the timestamp falls inside the scene. */
export function inScene(timestampSec: number, scene: readonly [number, number]): boolean {
  return timestampSec >= scene[0] && timestampSec < scene[1];
}
