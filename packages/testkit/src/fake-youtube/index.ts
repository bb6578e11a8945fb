export {
  type FakeYouTubeErrorAnswer,
  youTubeError,
} from './fake-youtube-errors';
export { startFakeYouTubeServer } from './fake-youtube-server';
export type {
  FakeYouTubeChaos,
  FakeYouTubeChaosKind,
  FakeYouTubeFailure,
  FakeYouTubeRequest,
  FakeYouTubeRoute,
  FakeYouTubeScript,
  FakeYouTubeServer,
  FakeYouTubeServerOptions,
  FakeYouTubeSession,
  FakeYouTubeVideo,
} from './fake-youtube-types';
