import {
  type FakeYouTubeServer,
  startFakeYouTubeServer,
  type UploaderConformanceHarness,
} from '@vbuckets/testkit';
import { createYouTubeUploader } from '../src/index';
import type { YouTubeUploaderSettings } from '../src/youtube-settings';

export const TOKEN = 'fake-youtube-token';
export const CHUNK = 256 * 1024;

/** A fake YouTube and an uploader pointed at it, with 256 KiB chunks. */
export async function youTubeFixture(settings: Partial<YouTubeUploaderSettings> = {}) {
  const server = await startFakeYouTubeServer();
  const uploader = createYouTubeUploader({
    accessToken: () => TOKEN,
    baseURL: server.baseUrl,
    chunkBytes: CHUNK,
    ...settings,
  });
  return { server, uploader };
}

/** The conformance harness: each failure kind scripted the way YouTube answers it. */
export async function youTubeHarness(): Promise<UploaderConformanceHarness> {
  const { server, uploader } = await youTubeFixture();
  return {
    uploader,
    readUploaded: async (postId) => videoOf(server, postId).bytes,
    countPosts: async () => server.videos.size,
    acceptedBytes: async () => server.acceptedBytes(),
    script: {
      failNext(kind) {
        switch (kind) {
          case 'rate-limit':
            return server.script({ route: 'start', failure: { kind: 'rate-limit' } });
          case 'server-error':
            return server.script({ route: 'chunk', failure: { kind: 'server-error' } });
          case 'unauthorized':
            return server.script({ route: 'start', failure: { kind: 'unauthorized' } });
          case 'reject-media':
            return server.script({
              route: 'start',
              failure: { kind: 'reject-media', message: 'Upload rejected by conformance.' },
            });
          case 'interrupt':
            return server.script({ route: 'chunk', fromOffset: 1, failure: { kind: 'interrupt' } });
        }
      },
    },
    close: () => server.close(),
  };
}

export function videoOf(server: FakeYouTubeServer, id: string) {
  const video = server.videos.get(id);
  if (video === undefined) throw new Error(`no video ${id} on the fake`);
  return video;
}
