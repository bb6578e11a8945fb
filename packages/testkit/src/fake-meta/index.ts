export { type GraphErrorAnswer, graphError, startFakeMetaServer } from './fake-meta-server';
export type {
  FakeMetaBehaviour,
  FakeMetaRequest,
  FakeMetaRoute,
  FakeMetaServer,
  FakeMetaServerOptions,
  FakeMetaSession,
  FakeMetaSwitches,
  FakeMetaVideoOutcome,
} from './fake-meta-types';
