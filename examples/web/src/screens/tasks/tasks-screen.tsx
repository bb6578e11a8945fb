import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Paginator } from '../../components/paginator';
import { useStatus } from '../../components/status';
import { useLoader } from '../../components/use-loader';
import { navigate } from '../../router';
import type { ScreenProps } from '../screen';
import { TaskForm } from './task-form';
import { TaskTable } from './task-table';
import { TaskThumbnails } from './task-thumbnails';
import {
  costText,
  type GenerationTask,
  STATUS_LABELS,
  type TaskFields,
  type TaskStats,
  tasksApi,
} from './tasks-api';

const PAGE_SIZE = 10;

/** The org's generation tasks (seed 002), paged by the host, and one task's thumbnails. */
export function TasksScreen({ api, session, location }: ScreenProps) {
  const taskId = location.params.get('task')?.trim() ?? '';
  const tasks = useMemo(() => tasksApi(api), [api]);
  const status = useStatus();
  const [page, setPage] = useState(1);
  const [list, setList] = useState<GenerationTask[]>();
  const [stats, setStats] = useState<TaskStats>();
  const loader = useLoader();
  const loadError = loader.error;
  const [creating, setCreating] = useState(false);
  /** The task just created: its thumbnails panel takes focus from the closed form. */
  const [justCreated, setJustCreated] = useState<string>();
  const newButton = useRef<HTMLButtonElement>(null);

  const reload = useCallback(
    () =>
      loader.run(
        () => Promise.all([tasks.list(PAGE_SIZE, (page - 1) * PAGE_SIZE), tasks.stats()]),
        ([listed, totals]) => {
          setList(listed);
          setStats(totals);
        },
      ),
    [loader.run, tasks, page],
  );

  useEffect(() => {
    void reload();
  }, [reload]);

  const pageCount = Math.max(1, Math.ceil((stats?.totalTasks ?? 0) / PAGE_SIZE));
  useEffect(() => {
    if (page > pageCount) setPage(pageCount);
  }, [page, pageCount]);

  async function create(fields: TaskFields, video: File | undefined) {
    const created = await tasks.create(fields);
    setCreating(false);
    setPage(1);
    // The task exists now: a video the host refuses is said, not a reason to create it twice.
    let attachError: unknown;
    if (video !== undefined) {
      try {
        await tasks.attachVideo(created.id, video);
      } catch (thrown) {
        attachError = thrown;
      }
    }
    setJustCreated(created.id);
    navigate('/tasks', { task: created.id });
    await reload();
    if (attachError === undefined) {
      status.say(
        `Created task “${created.projectName}”${video === undefined ? '' : ` with ${video.name}`}.`,
      );
    } else {
      status.fail(attachError);
    }
  }

  return (
    <>
      <section className="panel" aria-labelledby="tasks-heading">
        <div className="panel__head">
          <h2 id="tasks-heading">Generation tasks</h2>
          {!creating && (
            <button
              type="button"
              ref={newButton}
              className="button"
              onClick={() => setCreating(true)}
            >
              New task
            </button>
          )}
        </div>
        {stats !== undefined && stats.totalTasks > 0 && (
          <dl className="task-totals" aria-label="Totals of the org's tasks">
            <div>
              <dt>Tasks</dt>
              <dd data-field="total-tasks">{stats.totalTasks}</dd>
            </div>
            {Object.entries(STATUS_LABELS).map(([key, label]) => (
              <div key={key}>
                <dt>{label}</dt>
                <dd>{stats.byStatus[key] ?? 0}</dd>
              </div>
            ))}
            <div>
              <dt>Total cost</dt>
              <dd data-field="total-cost">{costText(stats.totalCost)}</dd>
            </div>
            <div>
              <dt>Credits used</dt>
              <dd>{stats.totalCreditsUsed}</dd>
            </div>
          </dl>
        )}
        <ErrorMessage error={loadError} title="The tasks could not be read" />
        {list === undefined && loadError === undefined && <p className="hint">Loading…</p>}
        {list !== undefined && list.length === 0 && page === 1 && (
          <p className="empty">No generation tasks yet. Create one to start.</p>
        )}
        {list !== undefined && list.length > 0 && (
          <>
            <TaskTable tasks={list} currentTaskId={taskId} />
            <Paginator page={page} pageCount={pageCount} onPage={setPage} label="Task pages" />
          </>
        )}
      </section>
      {creating && (
        <TaskForm
          userId={session.userId}
          onCreate={create}
          onCancel={() => {
            setCreating(false);
            // The form is gone; its button comes back once rendered.
            requestAnimationFrame(() => newButton.current?.focus());
          }}
        />
      )}
      {taskId !== '' && (
        <TaskThumbnails
          key={taskId}
          tasks={tasks}
          taskId={taskId}
          onTaskChanged={() => void reload()}
          focusOnShow={justCreated === taskId}
        />
      )}
    </>
  );
}
