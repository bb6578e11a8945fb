import { describeUploaderConformance } from '@vbuckets/testkit';
import { youTubeHarness } from './youtube-test-helpers';

describeUploaderConformance({
  name: 'youtube (fake YouTube Data API)',
  createUploader: youTubeHarness,
  metadata: { title: 'Conformance video', description: 'A test upload', tags: ['vbuckets'] },
});
