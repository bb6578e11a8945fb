export type { GeminiBucketCategorizer } from './gemini-bucket-categorizer';
export { DEFAULT_RETRY_AFTER_MS } from './gemini-error';
export { createGemini, type GeminiProvider } from './gemini-provider';
export type { GeminiMode, GeminiSettings } from './gemini-settings';
export type { GeminiVideoAnalyzer } from './gemini-video-analyzer';
