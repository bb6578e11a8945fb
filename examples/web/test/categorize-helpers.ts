import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DashboardHost } from './dashboard-host';

/** The shapes this file uses of the express suite's categorize fixtures and real ffmpeg clip. */
interface ExpressFixtures {
  BUCKETS: readonly { name: string; bestFor: string; painPoints: readonly string[] }[];
  sampleClips(): {
    filename: string;
    sidecar?: { filename: string; text: string };
    bucket: string | null;
  }[];
}
interface ExpressMedia {
  createTestClip(): { bytes: Uint8Array; variant(): Uint8Array; remove(): void };
}

/**
 * Loads a module of the express suite at run time. Reused rather than copied; not imported
 * statically because this project's type check (DOM lib, no postgres `inject` keys) cannot
 * compile those files, so their shapes are stated above.
 */
const expressTest = <Module>(file: string) =>
  import(
    /* @vite-ignore */ new URL(`../../express/test/${file}`, import.meta.url).pathname
  ) as Promise<Module>;

const { BUCKETS, sampleClips } = await expressTest<ExpressFixtures>('categorize-fixtures.ts');
const { createTestClip } = await expressTest<ExpressMedia>('tasks-media.ts');

/** A clip of the page's upload on disk: the video, its sidecar, the bucket it belongs in. */
export interface ClipFile {
  filename: string;
  path: string;
  sidecar?: string;
  bucket: string | null;
}

/**
 * The express suite's four sample clips (three transcripts naming a bucket's pains, one that
 * fits none) as files to pick: real videos made by ffmpeg, each with other bytes (so each is its
 * own video), their sidecars beside them.
 */
export function writeClips(): {
  folder: string;
  clips: ClipFile[];
  paths: string[];
  remove(): void;
} {
  const folder = mkdtempSync(join(tmpdir(), 'vbuckets-web-categorize-'));
  const made = createTestClip();
  try {
    const clips = sampleClips().map((sample, index): ClipFile => {
      const path = join(folder, sample.filename);
      writeFileSync(path, index === 0 ? made.bytes : made.variant());
      if (sample.sidecar === undefined)
        return { filename: sample.filename, path, bucket: sample.bucket };
      const sidecar = join(folder, sample.sidecar.filename);
      writeFileSync(sidecar, sample.sidecar.text);
      return { filename: sample.filename, path, sidecar, bucket: sample.bucket };
    });
    return {
      folder,
      clips,
      paths: clips.flatMap((clip) => [
        clip.path,
        ...(clip.sidecar === undefined ? [] : [clip.sidecar]),
      ]),
      remove: () => rmSync(folder, { recursive: true, force: true }),
    };
  } finally {
    made.remove();
  }
}

/** Creates the express suite's three buckets for `productId`; their ids by name. */
export async function createBuckets(
  host: DashboardHost,
  productId: string,
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const bucket of BUCKETS) {
    const response = await host.api('/buckets', {
      method: 'POST',
      json: { productId, ...bucket },
    });
    expect(response.status).toBe(201);
    ids[bucket.name] = ((await response.json()) as { id: string }).id;
  }
  return ids;
}
