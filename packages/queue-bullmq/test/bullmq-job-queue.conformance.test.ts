import { describeJobQueueConformance } from '@vbuckets/testkit';
import { bullMqFixture } from './bullmq-fixture';

const fixture = bullMqFixture('conformance', { lockDurationMs: 2000, stalledIntervalMs: 1000 });

describeJobQueueConformance({
  name: 'bullmq',
  createQueue: () => fixture.createQueue(),
  cleanup: () => fixture.cleanup(),
});
