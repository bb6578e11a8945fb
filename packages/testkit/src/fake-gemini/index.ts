export {
  formatRetryDelay,
  type GoogleErrorAnswer,
  type GoogleErrorBody,
} from './fake-gemini-errors';
export { startFakeGeminiServer } from './fake-gemini-server';
export type {
  FakeGeminiAnswerFormat,
  FakeGeminiBehaviour,
  FakeGeminiFile,
  FakeGeminiFileOutcome,
  FakeGeminiRequest,
  FakeGeminiRoute,
  FakeGeminiServer,
  FakeGeminiServerOptions,
  FakeGeminiSwitches,
} from './fake-gemini-types';
