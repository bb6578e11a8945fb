// What another host (the Express server) composes the same way as the CLI: where video bytes
// live, and everything a worker may be asked to run, read from the environment.
export type { ExtraOptions } from './context';
export type { CliIo } from './io';
export { openBlobStore, parseStorage, type StorageSettings } from './storage';
export { type WorkerSetup, workerSetup } from './worker-extras';
