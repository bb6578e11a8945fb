export { startFakeTikTokServer, type TikTokAnswer, tiktokAnswer } from './fake-tiktok-server';
export type {
  FakeTikTokBehaviour,
  FakeTikTokOutcome,
  FakeTikTokPublish,
  FakeTikTokRequest,
  FakeTikTokRoute,
  FakeTikTokServer,
  FakeTikTokServerOptions,
  FakeTikTokSwitches,
} from './fake-tiktok-types';
