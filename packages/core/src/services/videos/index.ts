export {
  createVideosService,
  type RegisteredVideo,
  uploadStatusByPlatform,
  type VideoRegisterInput,
  type VideosService,
  type VideosServiceDependencies,
  type VideoVerification,
  type VideoWithUploads,
} from './videos-service';
