import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A keyframe every 25 frames (1 s at 25 fps) and none in between (no scene-cut keyframes). */
const x264 = [
  ...['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-pix_fmt', 'yuv420p'],
  ...['-g', '25', '-keyint_min', '25', '-sc_threshold', '0'],
];
const pattern = 'testsrc=size=160x120:rate=25:duration=6';

export interface SplitFixtures {
  /** 6 s, 25 fps, h264, keyframes every 1 s, no audio. */
  keyed: string;
  /** As `keyed`, with AAC audio (whose priming shifts ffmpeg's output timeline by ~23 ms). */
  keyedAudio: string;
  /** 6 s vp8 in webm, keyframes every 1 s. */
  keyedWebm: string;
  /** The first half of `keyed`: its index (moov, written last) is missing. */
  truncated: string;
}

/** Clips for the split tests, made in `folder` with the real ffmpeg. */
export function createSplitFixtures(folder: string): SplitFixtures {
  const at = (name: string) => join(folder, name);
  ffmpeg(['-f', 'lavfi', '-i', pattern, ...x264, at('keyed.mp4')]);
  ffmpeg([
    ...['-f', 'lavfi', '-i', pattern],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=6'],
    ...x264,
    ...['-c:a', 'aac', '-shortest'],
    at('keyed-audio.mp4'),
  ]);
  ffmpeg([
    ...['-f', 'lavfi', '-i', pattern],
    ...['-c:v', 'libvpx', '-b:v', '200k', '-deadline', 'realtime', '-g', '25', '-keyint_min', '25'],
    at('keyed.webm'),
  ]);
  const whole = readFileSync(at('keyed.mp4'));
  writeFileSync(at('truncated.mp4'), whole.subarray(0, Math.floor(whole.length / 2)));
  return {
    keyed: at('keyed.mp4'),
    keyedAudio: at('keyed-audio.mp4'),
    keyedWebm: at('keyed.webm'),
    truncated: at('truncated.mp4'),
  };
}

/** The presentation times of the video keyframes, read by ffprobe from the packets (no decoding). */
export function keyframeTimes(path: string): number[] {
  const csv = execFileSync(
    'ffprobe',
    [
      ...['-v', 'error', '-select_streams', 'v:0'],
      ...['-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', path],
    ],
    { encoding: 'utf8' },
  );
  return csv
    .split('\n')
    .map((line) => line.trim().split(','))
    .filter(([, flags]) => flags?.startsWith('K') === true)
    .map(([time]) => Number(time))
    .sort((left, right) => left - right);
}

/** A stream's own duration as ffprobe reads it from the container. */
export function streamDuration(path: string, stream: 'v:0' | 'a:0'): number {
  const text = execFileSync(
    'ffprobe',
    [
      ...['-v', 'error', '-select_streams', stream],
      ...['-show_entries', 'stream=duration', '-of', 'csv=p=0', path],
    ],
    { encoding: 'utf8' },
  );
  return Number(text.trim());
}
