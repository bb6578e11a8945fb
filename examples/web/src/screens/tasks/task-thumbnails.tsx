import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useStatus } from '../../components/status';
import { useLoader } from '../../components/use-loader';
import { StatusBadge } from './task-table';
import { costText, type GenerationTask, type TasksApi, type Thumbnail } from './tasks-api';
import { ThumbnailGrid } from './thumbnail-grid';

interface TaskThumbnailsProps {
  tasks: TasksApi;
  taskId: string;
  /** Told when the task changed (a video attached), so the list shows it. */
  onTaskChanged: () => void;
  /** Put focus on the heading once shown (after the form that created the task closed). */
  focusOnShow?: boolean;
}

/** One task's thumbnails: attach its video, cut candidates from it, select the one to use. */
export function TaskThumbnails({ tasks, taskId, onTaskChanged, focusOnShow }: TaskThumbnailsProps) {
  const id = useId();
  const status = useStatus();
  const [task, setTask] = useState<GenerationTask>();
  const [thumbnails, setThumbnails] = useState<Thumbnail[]>();
  const loader = useLoader();
  const loadError = loader.error;
  const [actionError, setActionError] = useState<unknown>();
  const [busy, setBusy] = useState<'generate' | 'select' | 'upload'>();
  const [count, setCount] = useState('6');
  const grid = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnShow === true) heading.current?.focus();
  }, [focusOnShow]);
  const [focusSelected, setFocusSelected] = useState<string>();

  const reload = useCallback(
    () =>
      loader.run(
        () => Promise.all([tasks.get(taskId), tasks.thumbnails(taskId)]),
        ([current, listed]) => {
          setTask(current);
          setThumbnails(listed);
        },
      ),
    [loader.run, tasks, taskId],
  );

  useEffect(() => {
    setTask(undefined);
    setThumbnails(undefined);
    setActionError(undefined);
    void reload();
  }, [reload]);

  // The Select button just used became the "Selected" mark: focus follows it there.
  useEffect(() => {
    if (focusSelected === undefined) return;
    grid.current
      ?.querySelector<HTMLElement>(
        `[data-thumbnail="${CSS.escape(focusSelected)}"] .thumb__selected`,
      )
      ?.focus();
    setFocusSelected(undefined);
  }, [focusSelected]);

  async function run(kind: 'generate' | 'select' | 'upload', work: () => Promise<void>) {
    if (busy !== undefined) return;
    setBusy(kind);
    setActionError(undefined);
    status.clear();
    try {
      await work();
    } catch (thrown) {
      setActionError(thrown);
    } finally {
      setBusy(undefined);
    }
  }

  const generate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run('generate', async () => {
      const made = await tasks.generate(taskId, Number(count));
      await reload();
      status.say(
        made.length === 0
          ? 'The video gave no candidates.'
          : `Cut ${made.length} candidate${made.length === 1 ? '' : 's'} from the video.`,
      );
    });
  };

  const select = (thumbnail: Thumbnail) =>
    run('select', async () => {
      await tasks.select(taskId, thumbnail.id);
      await reload();
      setFocusSelected(thumbnail.id);
      status.say(`Selected “${thumbnail.variant}”.`);
    });

  const upload = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get('video');
    if (!(file instanceof File) || file.size === 0) {
      setActionError(new Error('Choose the video file first.'));
      return;
    }
    void run('upload', async () => {
      setTask(await tasks.attachVideo(taskId, file));
      onTaskChanged();
      status.say(`Attached “${file.name}”.`);
    });
  };

  const title = task === undefined ? taskId : task.projectName;
  const selected = thumbnails?.find((each) => each.isSelected);
  return (
    <section className="panel" aria-labelledby={`${id}-heading`} aria-busy={busy !== undefined}>
      <div className="panel__head">
        <h2 id={`${id}-heading`} ref={heading} tabIndex={-1}>
          Thumbnails of {title}
        </h2>
      </div>
      <ErrorMessage error={loadError} title="The task could not be read" />
      {task !== undefined && (
        <dl className="task-facts">
          <div>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={task.status} />
            </dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd>{costText(task.cost)}</dd>
          </div>
          <div>
            <dt>Engine</dt>
            <dd>{task.engine}</dd>
          </div>
          <div>
            <dt>Video</dt>
            <dd>{task.videoId === null ? 'None yet' : <code>{task.videoId}</code>}</dd>
          </div>
          <div>
            <dt>Selected</dt>
            <dd data-field="selected">{selected?.variant ?? 'None yet'}</dd>
          </div>
        </dl>
      )}
      {task !== undefined && task.videoId === null && (
        <form className="inline-form task-tools" onSubmit={upload}>
          <div className="field">
            <label htmlFor={`${id}-video`}>Generated video</label>
            <input id={`${id}-video`} name="video" type="file" accept="video/*" />
          </div>
          <button type="submit" className="button" aria-disabled={busy !== undefined || undefined}>
            {busy === 'upload' ? 'Attaching…' : 'Attach video'}
          </button>
        </form>
      )}
      {task !== undefined && (
        <form className="inline-form task-tools" onSubmit={generate}>
          <div className="field field--narrow">
            <label htmlFor={`${id}-count`}>Candidates</label>
            <input
              id={`${id}-count`}
              type="number"
              min={1}
              max={20}
              step={1}
              required
              value={count}
              onChange={(event) => setCount(event.target.value)}
            />
          </div>
          <button type="submit" className="button" aria-disabled={busy !== undefined || undefined}>
            {busy === 'generate' ? 'Cutting candidates…' : 'Generate candidates'}
          </button>
          <p className="hint task-tools__hint">
            Stills are cut from the video with ffmpeg and scored; earlier ones stay.
          </p>
        </form>
      )}
      <ErrorMessage error={actionError} />
      {thumbnails === undefined && loadError === undefined && <p className="hint">Loading…</p>}
      {thumbnails !== undefined && thumbnails.length === 0 && (
        <p className="empty">
          No thumbnails yet.{' '}
          {task?.videoId === null
            ? 'Attach the generated video, then generate candidates from it.'
            : 'Generate candidates from the video.'}
        </p>
      )}
      {thumbnails !== undefined && thumbnails.length > 0 && (
        <div ref={grid}>
          <ThumbnailGrid
            tasks={tasks}
            thumbnails={thumbnails}
            busy={busy !== undefined}
            onSelect={(thumbnail) => void select(thumbnail)}
          />
        </div>
      )}
    </section>
  );
}
