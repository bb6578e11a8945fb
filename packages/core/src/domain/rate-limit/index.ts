export { type Sleep, timerSleep } from './sleep';
export {
  createTokenBucket,
  DEFAULT_BURST,
  DEFAULT_REQUESTS_PER_MINUTE,
  DEFAULT_WINDOW_MARGIN_MS,
  type TokenBucket,
  type TokenBucketDependencies,
  type TokenBucketOptions,
  TokenBucketOptionsSchema,
} from './token-bucket';
