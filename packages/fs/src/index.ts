export { createJsonLinesAuditSink, type JsonLinesAuditSinkSettings } from './json-lines-audit-sink';
export { createLocalBlobStore, type LocalBlobStoreSettings } from './local-blob-store';
