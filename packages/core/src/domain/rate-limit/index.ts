export { abortableSleep, type Sleep, timerSleep } from './sleep';
export {
  createTokenBucket,
  DEFAULT_BURST,
  DEFAULT_REQUESTS_PER_MINUTE,
  type TokenBucket,
  type TokenBucketDependencies,
  type TokenBucketOptions,
  TokenBucketOptionsSchema,
} from './token-bucket';
