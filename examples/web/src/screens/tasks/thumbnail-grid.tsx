import { useEffect, useState } from 'react';
import { Paginator, usePages } from '../../components/paginator';
import { percentText, type TasksApi, type Thumbnail } from './tasks-api';

const PAGE_SIZE = 12;

/** The image of a thumbnail: its stored JPEG fetched with the token, or its given URL. */
function ThumbnailImage({ tasks, thumbnail }: { tasks: TasksApi; thumbnail: Thumbnail }) {
  const [source, setSource] = useState<string | undefined>(thumbnail.imageUrl ?? undefined);
  const [failed, setFailed] = useState(false);
  const { taskId, id, blobKey } = thumbnail;
  useEffect(() => {
    if (blobKey === null) return;
    let url: string | undefined;
    let live = true;
    tasks.image(taskId, id).then(
      (blob) => {
        if (!live) return;
        url = URL.createObjectURL(blob);
        setSource(url);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      if (url !== undefined) URL.revokeObjectURL(url);
    };
  }, [tasks, taskId, id, blobKey]);
  if (failed || source === undefined) {
    return (
      <div className="thumb__image thumb__image--none">
        {failed ? 'Image not available' : 'Loading image…'}
      </div>
    );
  }
  // The variant names the picture in the card's heading; the image adds nothing to read out.
  return (
    <img
      className="thumb__image"
      src={source}
      alt=""
      loading="lazy"
      onError={() => setFailed(true)}
    />
  );
}

interface ThumbnailGridProps {
  tasks: TasksApi;
  /** In the host's order: highest click prediction first, unpredicted last. */
  thumbnails: readonly Thumbnail[];
  busy: boolean;
  onSelect: (thumbnail: Thumbnail) => void;
}

/** A task's thumbnails as cards, best predicted first, each with its prediction and a Select button. */
export function ThumbnailGrid({ tasks, thumbnails, busy, onSelect }: ThumbnailGridProps) {
  const pages = usePages(thumbnails, PAGE_SIZE);
  return (
    <>
      {thumbnails.some((thumbnail) => thumbnail.clickPrediction === null) && (
        <p className="hint thumbs__note">
          Thumbnails without a click prediction come last, newest first: the built-in scorer rates
          image quality only, a scoring model (Claude) also predicts clicks.
        </p>
      )}
      <ol className="thumbs" aria-label="Thumbnails, highest click prediction first">
        {pages.items.map((thumbnail, index) => {
          const prediction = percentText(thumbnail.clickPrediction);
          const quality = percentText(thumbnail.qualityScore);
          return (
            <li
              key={thumbnail.id}
              className={`thumb${thumbnail.isSelected ? ' thumb--selected' : ''}`}
              data-thumbnail={thumbnail.id}
            >
              <ThumbnailImage tasks={tasks} thumbnail={thumbnail} />
              <div className="thumb__body">
                <h3 className="thumb__title">
                  <span className="thumb__rank">#{pages.offset + index + 1}</span>{' '}
                  {thumbnail.variant}
                </h3>
                <dl className="thumb__facts">
                  <div>
                    <dt>Click prediction</dt>
                    <dd
                      className={prediction === null ? undefined : 'thumb__prediction'}
                      data-field="click-prediction"
                    >
                      {prediction ?? 'Not predicted'}
                    </dd>
                  </div>
                  <div>
                    <dt>Quality</dt>
                    <dd>{quality ?? '—'}</dd>
                  </div>
                  <div>
                    <dt>Source</dt>
                    <dd>{thumbnail.source === 'frame' ? 'Video frame' : 'Image URL'}</dd>
                  </div>
                </dl>
                {thumbnail.isSelected ? (
                  <p className="thumb__selected" tabIndex={-1}>
                    <span aria-hidden="true">✓ </span>Selected
                  </p>
                ) : (
                  <button
                    type="button"
                    className="button button--small button--secondary"
                    aria-disabled={busy || undefined}
                    onClick={() => !busy && onSelect(thumbnail)}
                  >
                    Select<span className="visually-hidden"> {thumbnail.variant}</span>
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      <Paginator
        page={pages.page}
        pageCount={pages.pageCount}
        onPage={pages.setPage}
        label="Thumbnail pages"
      />
    </>
  );
}
