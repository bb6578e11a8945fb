export { createBullMqJobQueue } from './bullmq-job-queue';
export {
  type BullMqJobQueueSettings,
  DEFAULT_PREFIX,
  DEFAULT_REDIS_URL,
} from './bullmq-settings';
