import { type CreateTableBuilder, type SqlBool, sql } from 'kysely';
import type { SqlDialectAdapter } from './sql-dialect-adapter';
import type { SqlMigration } from './sql-migrations';

const STATUSES = sql.raw(`'pending', 'processing', 'completed', 'failed'`);
const SOURCES = sql.raw(`'given', 'frame'`);

/**
 * Migration 8 of both dialects: generation tasks and their thumbnails (seed 002). Written once
 * with the schema builder over the dialect's column types, like `marketMigration`; SQLite's
 * tables are STRICT like the others.
 *
 * Task and thumbnail ids are unique per org, so both primary keys are (org_id, id), and a
 * thumbnail references its task by (org_id, task_id): another org's task can never be its
 * parent, and deleting a task deletes its thumbnails (ON DELETE CASCADE). The partial unique
 * index `thumbnails_one_selected` is what keeps at most one thumbnail per task selected,
 * whatever the callers do at once.
 */
export function tasksMigration(dialect: SqlDialectAdapter): SqlMigration {
  const types = dialect.columnTypes;
  const type = (name: string) => sql.raw(name);
  const text = (expression: string) => dialect.orderableText(sql.raw(`(${expression})`));
  const strict = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    dialect.name === 'sqlite' ? table.modifyEnd(sql`strict`) : table;

  return {
    version: 8,
    name: 'generation-tasks',
    async up(db) {
      await strict(
        db.schema
          .createTable('generation_tasks')
          .addColumn('id', 'text', (column) => column.notNull())
          .addColumn('org_id', 'text', (column) => column.notNull())
          .addColumn('user_id', 'text', (column) => column.notNull())
          .addColumn('project_name', 'text', (column) => column.notNull())
          .addColumn('song_title', 'text')
          .addColumn('music_file', 'text')
          .addColumn('genre', 'text')
          .addColumn('bpm', type(types.integer))
          .addColumn('engine', 'text', (column) => column.notNull())
          .addColumn('prompt', 'text', (column) => column.notNull())
          .addColumn('status', 'text', (column) => column.notNull())
          .addColumn('video_url', 'text')
          .addColumn('video_id', 'text')
          .addColumn('youtube_title', 'text')
          .addColumn('youtube_description', 'text')
          .addColumn('youtube_tags', type(types.json), (column) => column.notNull())
          .addColumn('cost', type(types.float))
          .addColumn('credits_used', type(types.integer))
          .addColumn('duration_sec', type(types.float))
          .addColumn('error_message', 'text')
          .addColumn('created_at', type(types.timestamp), (column) => column.notNull())
          .addColumn('updated_at', type(types.timestamp), (column) => column.notNull())
          .addColumn('completed_at', type(types.timestamp))
          .addPrimaryKeyConstraint('generation_tasks_pk', ['org_id', 'id'])
          .addCheckConstraint('generation_tasks_status', sql`status in (${STATUSES})`)
          .addCheckConstraint(
            'generation_tasks_amounts',
            sql`(bpm is null or bpm > 0) and (cost is null or cost >= 0) and (credits_used is null or credits_used >= 0) and (duration_sec is null or duration_sec >= 0)`,
          ),
      ).execute();
      // list: the org's tasks newest first, then id; of one user; of one status.
      await db.schema
        .createIndex('generation_tasks_org_created')
        .on('generation_tasks')
        .expression(sql`org_id, created_at, ${text('id')}`)
        .execute();
      await db.schema
        .createIndex('generation_tasks_org_user_created')
        .on('generation_tasks')
        .expression(sql`org_id, user_id, created_at, ${text('id')}`)
        .execute();
      await db.schema
        .createIndex('generation_tasks_org_status_created')
        .on('generation_tasks')
        .expression(sql`org_id, status, created_at, ${text('id')}`)
        .execute();
      // findByVideoId, and one task per registry video, kept by the database itself.
      await db.schema
        .createIndex('generation_tasks_one_per_video')
        .unique()
        .on('generation_tasks')
        .columns(['org_id', 'video_id'])
        .where(sql<SqlBool>`video_id is not null`)
        .execute();

      await strict(
        db.schema
          .createTable('thumbnails')
          .addColumn('id', 'text', (column) => column.notNull())
          .addColumn('org_id', 'text', (column) => column.notNull())
          .addColumn('task_id', 'text', (column) => column.notNull())
          .addColumn('variant', 'text', (column) => column.notNull())
          .addColumn('image_url', 'text')
          .addColumn('blob_key', 'text')
          .addColumn('click_prediction', type(types.float))
          .addColumn('quality_score', type(types.float))
          .addColumn('source', 'text', (column) => column.notNull())
          .addColumn('is_selected', type(types.boolean), (column) => column.notNull())
          .addColumn('created_at', type(types.timestamp), (column) => column.notNull())
          .addPrimaryKeyConstraint('thumbnails_pk', ['org_id', 'id'])
          .addForeignKeyConstraint(
            'thumbnails_task',
            ['org_id', 'task_id'],
            'generation_tasks',
            ['org_id', 'id'],
            (constraint) => constraint.onDelete('cascade'),
          )
          .addCheckConstraint('thumbnails_source', sql`source in (${SOURCES})`)
          .addCheckConstraint('thumbnails_is_selected', sql`is_selected in (true, false)`)
          .addCheckConstraint(
            'thumbnails_one_image',
            sql`(image_url is null) <> (blob_key is null)`,
          )
          .addCheckConstraint(
            'thumbnails_scores',
            sql`(click_prediction is null or click_prediction between 0 and 1) and (quality_score is null or quality_score between 0 and 1)`,
          ),
      ).execute();
      // list and the cascade: a task's thumbnails.
      await db.schema
        .createIndex('thumbnails_org_task')
        .on('thumbnails')
        .columns(['org_id', 'task_id'])
        .execute();
      // At most one selected thumbnail per task, kept by the database itself.
      await db.schema
        .createIndex('thumbnails_one_selected')
        .unique()
        .on('thumbnails')
        .columns(['org_id', 'task_id'])
        .where(sql<SqlBool>`is_selected = true`)
        .execute();
    },
  };
}
