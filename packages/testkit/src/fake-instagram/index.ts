export { startFakeInstagramServer } from './fake-instagram-server';
export type {
  FakeInstagramBehaviour,
  FakeInstagramContainer,
  FakeInstagramContainerOutcome,
  FakeInstagramRequest,
  FakeInstagramRoute,
  FakeInstagramServer,
  FakeInstagramServerOptions,
  FakeInstagramSwitches,
} from './fake-instagram-types';
