export {
  createVideosService,
  uploadStatusByPlatform,
  type VideoRegisterInput,
  type VideosService,
  type VideosServiceDependencies,
  type VideoVerification,
  type VideoWithUploads,
} from './videos-service';
