export { createMediaProbe, DEFAULT_MEDIA_TIMEOUT_MS, type MediaProbeSettings } from './media-probe';
