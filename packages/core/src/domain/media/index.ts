export {
  DEFAULT_FRAME_END_MARGIN_SEC,
  DEFAULT_FRAME_TIMESTAMPS_SEC,
  FRAME_TIMESTAMP_EPSILON_SEC,
  type FrameTimestampOptions,
  planFrameTimestamps,
} from './frame-timestamps';
