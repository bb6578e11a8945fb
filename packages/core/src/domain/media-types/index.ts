export {
  describeContent,
  MEDIA_SNIFF_BYTES,
  type SniffedContent,
  sniffContent,
} from './sniff-content';
export {
  ACCEPTED_VIDEO_EXTENSIONS,
  checkVideoFile,
  checkVideoFilename,
  fileExtension,
  VIDEO_TYPES,
  type VideoType,
  type VideoTypeInfo,
  videoTypeFromFilename,
} from './video-types';
