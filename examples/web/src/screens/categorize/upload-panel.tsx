import { type DragEvent, type FormEvent, useId, useMemo, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { type CategorizeApi, type CategorizeStart, selectionOf } from './categorize-api';

interface UploadPanelProps {
  categorize: CategorizeApi;
  productId: string;
  /** Called with what the host answered once the videos are stored. */
  onStarted: (start: CategorizeStart) => void;
}

const ACCEPT = 'video/*,.mp4,.m4v,.mov,.avi,.webm,.mkv,.txt,.srt,.vtt';

const sizeOf = (bytes: number) =>
  bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Drop (or pick) videos and their sidecar transcripts, see how they pair, upload them. */
export function UploadPanel({ categorize, productId, onStarted }: UploadPanelProps) {
  const progressId = useId();
  const hintId = useId();
  const [files, setFiles] = useState<File[]>([]);
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState<number>();
  const [error, setError] = useState<unknown>();
  const input = useRef<HTMLInputElement>(null);
  const selection = useMemo(() => selectionOf(files), [files]);
  const busy = progress !== undefined;

  const add = (added: readonly File[]) => {
    setError(undefined);
    setFiles((before) => [...before, ...added]);
  };

  function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    if (!busy) add([...event.dataTransfer.files]);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || selection.videos.length === 0) return;
    setError(undefined);
    setProgress(0);
    try {
      const started = await categorize.upload(
        productId,
        {
          videos: selection.videos.map((video) => video.file),
          transcripts: selection.videos.flatMap((video) => video.transcripts),
        },
        setProgress,
      );
      setFiles([]);
      if (input.current !== null) input.current.value = '';
      onStarted(started);
    } catch (thrown) {
      setError(thrown);
    } finally {
      setProgress(undefined);
    }
  }

  const count = selection.videos.length;
  return (
    <section className="panel" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload videos</h2>
      <form onSubmit={submit}>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a mouse shortcut; the keyboard's way is the Choose files button inside */}
        <div
          className={`dropzone${dragging ? ' dropzone--active' : ''}`}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={drop}
        >
          <p className="dropzone__title">Drop videos and their transcripts here</p>
          <p className="hint" id={hintId}>
            Videos (mp4, mov, avi, webm) with optional transcripts named like them:{' '}
            <code>clip.srt</code> or <code>clip.en.vtt</code> beside <code>clip.mp4</code>. The
            keyword categorizer reads their words.
          </p>
          <button
            type="button"
            className="button button--secondary"
            aria-describedby={hintId}
            disabled={busy}
            onClick={() => input.current?.click()}
          >
            Choose files…
          </button>
          {/* Picked through the button above; hidden, so it is not a second stop for the keyboard. */}
          <input
            ref={input}
            hidden
            type="file"
            multiple
            accept={ACCEPT}
            aria-label="Videos and transcripts"
            data-testid="categorize-files"
            onChange={(event) => {
              add([...(event.target.files ?? [])]);
              event.target.value = '';
            }}
          />
        </div>
        {files.length > 0 && (
          <div className="selection">
            <h3 className="selection__title">
              {count} video{count === 1 ? '' : 's'} to categorize
            </h3>
            {count > 0 && (
              <ul className="selection__list">
                {selection.videos.map(({ file, transcripts }) => (
                  <li key={file.name} data-video={file.name}>
                    <span className="selection__name">{file.name}</span>{' '}
                    <span className="count">({sizeOf(file.size)})</span>
                    <span className="selection__pair">
                      {transcripts.length === 0
                        ? 'no transcript: the file name only'
                        : `transcript ${transcripts.map((each) => each.name).join(', ')}`}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {selection.orphans.length > 0 && (
              <p className="hint">
                Not sent, no video of the same name:{' '}
                {selection.orphans.map((f) => f.name).join(', ')}
              </p>
            )}
            {selection.ignored.length > 0 && (
              <p className="hint">
                Not sent, neither a video nor a transcript:{' '}
                {selection.ignored.map((f) => f.name).join(', ')}
              </p>
            )}
          </div>
        )}
        {progress !== undefined && (
          <div className="upload-progress">
            <label htmlFor={progressId}>Uploading</label>
            <progress id={progressId} max={1} value={progress}>
              {Math.round(progress * 100)}%
            </progress>
            <span>{Math.round(progress * 100)}%</span>
          </div>
        )}
        <ErrorMessage error={error} title="The videos were not uploaded" />
        <div className="actions">
          <button type="submit" className="button" disabled={busy || count === 0}>
            {count === 0
              ? 'Upload and categorize'
              : `Upload and categorize ${count} video${count === 1 ? '' : 's'}`}
          </button>
          {files.length > 0 && (
            <button
              type="button"
              className="button button--secondary"
              disabled={busy}
              onClick={() => setFiles([])}
            >
              Clear
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
