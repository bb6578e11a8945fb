import { UploadStatusLegend, UploadStatusMark } from './upload-status';
import { nameOf, sizeText, timeText, type VideoRow } from './videos-api';

interface VideoTableProps {
  videos: readonly VideoRow[];
  /** The columns: the host's platforms and any other a video was ever posted to. */
  platforms: readonly string[];
  /** The video whose history is open. */
  selected: string | undefined;
  onPost: (video: VideoRow) => void;
  onHistory: (video: VideoRow) => void;
}

/** A page of the registry: each video with its upload status per platform, and its actions. */
export function VideoTable({ videos, platforms, selected, onPost, onHistory }: VideoTableProps) {
  return (
    <>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">
            Registered videos, newest first, with their upload status per platform
          </caption>
          <thead>
            <tr>
              <th scope="col">Video</th>
              <th scope="col">Registered</th>
              <th scope="col" className="table__number">
                Size
              </th>
              {platforms.map((platform) => (
                <th scope="col" key={platform} className="video-table__platform">
                  {platform}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {videos.map((video) => (
              <tr
                key={video.id}
                data-video={video.id}
                className={video.id === selected ? 'video-table__row--selected' : undefined}
              >
                <th scope="row" className="table__name">
                  {nameOf(video)}
                  {nameOf(video) !== video.filename && (
                    <span className="video-table__file">{video.filename}</span>
                  )}
                </th>
                <td className="video-table__when">{timeText(video.createdAt)}</td>
                <td className="table__number video-table__size">{sizeText(video.sizeBytes)}</td>
                {platforms.map((platform) => (
                  <td key={platform} className="video-table__platform" data-platform={platform}>
                    <UploadStatusMark status={video.uploads[platform] ?? 'NONE'} />
                  </td>
                ))}
                <td>
                  <div className="table__actions">
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => onPost(video)}
                    >
                      Post<span className="visually-hidden"> {nameOf(video)}</span>
                    </button>
                    <button
                      type="button"
                      className="button button--small button--secondary"
                      aria-pressed={video.id === selected}
                      onClick={() => onHistory(video)}
                    >
                      History<span className="visually-hidden"> of {nameOf(video)}</span>
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <UploadStatusLegend />
    </>
  );
}
