export { type AnswerQueue, createAnswerQueue, type ScriptedAnswer } from './answer-queue';
export {
  createFakeAuditSink,
  type FakeAuditSink,
  type FakeAuditSinkCall,
  type FakeAuditSinkSettings,
} from './fake-audit-sink';
export {
  createFakeBucketCategorizer,
  type FakeBucketCategorizer,
  type FakeBucketCategorizerCall,
  type FakeBucketCategorizerSettings,
} from './fake-bucket-categorizer';
export {
  createFakeMediaProbe,
  type FakeMediaProbe,
  type FakeMediaProbeCall,
  type FakeMediaProbeSettings,
  makeMediaInfo,
  makeThumbnailCandidate,
  makeVideoPiece,
  makeVideoPieces,
} from './fake-media-probe';
export {
  createFakePlatformUploader,
  type FakePlatformUploader,
  type FakePlatformUploaderCall,
  type FakePlatformUploaderSettings,
} from './fake-platform-uploader';
export {
  type CombinedAnalysis,
  createFakeVideoAnalyzer,
  type FakeVideoAnalyzer,
  type FakeVideoAnalyzerCall,
  type FakeVideoAnalyzerSettings,
  makeVideoAnalysis,
} from './fake-video-analyzer';
export { createManualClock, type ManualClock } from './manual-clock';
export {
  createMemoryBlobStore,
  type MemoryBlobStore,
  type MemoryBlobStoreSettings,
} from './memory-blob-store';
export { createMemoryStore } from './memory-store';
export {
  createSequentialIdGenerator,
  type SequentialIdGenerator,
} from './sequential-id-generator';
