import { hrefOf } from '../../router';
import { costText, type GenerationTask, STATUS_LABELS } from './tasks-api';

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** A status as a coloured badge with its word (the colour is never the only sign). */
export function StatusBadge({ status }: { status: GenerationTask['status'] }) {
  return <span className={`task-status task-status--${status}`}>{STATUS_LABELS[status]}</span>;
}

interface TaskTableProps {
  /** One page of tasks, newest first. */
  tasks: readonly GenerationTask[];
  /** The task whose thumbnails are shown below, marked in its row. */
  currentTaskId: string;
}

/** One page of the org's generation tasks with status, cost and a link to their thumbnails. */
export function TaskTable({ tasks, currentTaskId }: TaskTableProps) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Generation tasks, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Project</th>
            <th scope="col">Engine</th>
            <th scope="col">Status</th>
            <th scope="col" className="task-number">
              Cost
            </th>
            <th scope="col" className="task-number">
              Credits
            </th>
            <th scope="col">Video</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Thumbnails</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr
              key={task.id}
              data-task={task.id}
              className={task.id === currentTaskId ? 'task-row--current' : undefined}
            >
              <th scope="row" className="table__name">
                {task.projectName}
                {task.songTitle !== null && (
                  <span className="task-row__song">{task.songTitle}</span>
                )}
              </th>
              <td>{task.engine}</td>
              <td data-column="status">
                <StatusBadge status={task.status} />
                {task.errorMessage !== null && (
                  <span className="task-row__error">{task.errorMessage}</span>
                )}
              </td>
              <td className="task-number" data-column="cost">
                {costText(task.cost)}
              </td>
              <td className="task-number">{task.creditsUsed ?? '—'}</td>
              <td>{task.videoId === null ? 'None yet' : 'Attached'}</td>
              <td>{dateTime.format(new Date(task.createdAt))}</td>
              <td>
                <a
                  className="button button--small button--secondary task-row__link"
                  href={hrefOf('/tasks', { task: task.id })}
                  aria-current={task.id === currentTaskId ? 'true' : undefined}
                >
                  Thumbnails<span className="visually-hidden"> of {task.projectName}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
