import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { run, tempDir } from './helpers';

const postgresUrl = inject('postgresUrl');
const schema = `${inject('postgresSchemaPrefix')}_cli_${randomBytes(3).toString('hex')}`;

afterAll(async () => {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
});

describe('--database-url', () => {
  // "notaurl" said `ENOTFOUND base` and a mysql:// URL was tried as PostgreSQL.
  it.each([
    ['notaurl', /--database-url is not a URL: give a PostgreSQL URL such as "postgres:\/\//],
    [
      'mysql://root:hunter2@127.0.0.1/test',
      /--database-url is a "mysql:" URL, but only PostgreSQL is supported/,
    ],
  ])('says what is wrong with --database-url %s, before connecting', async (url, message) => {
    const result = await run([
      'buckets',
      'list',
      '--data-dir',
      await tempDir(),
      '--database-url',
      url,
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^error: \[VALIDATION\] /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('keeps records in PostgreSQL instead of the data dir, from the flag or the environment', async () => {
    const dataDir = await tempDir();
    const added = await run([
      'buckets',
      'add',
      '--name',
      'Gut Health',
      '--data-dir',
      dataDir,
      '--database-url',
      postgresUrl,
      '--database-schema',
      schema,
      '--json',
    ]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);

    // Another data dir, same database: the bucket is there because it lives in PostgreSQL.
    const listed = await run(['buckets', 'list', '--data-dir', await tempDir(), '--json'], {
      env: { VBUCKETS_DATABASE_URL: postgresUrl, VBUCKETS_DATABASE_SCHEMA: schema },
    });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((bucket: { name: string }) => bucket.name)).toEqual([
      'Gut Health',
    ]);

    // And the SQLite file of the first data dir was never used for it.
    const sqlite = await run(['buckets', 'list', '--data-dir', dataDir, '--json']);
    expect(JSON.parse(sqlite.stdout)).toEqual([]);

    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      const rows = await client.query(`select name from ${schema}.buckets`);
      expect(rows.rows).toEqual([{ name: 'Gut Health' }]);
    } finally {
      await client.end();
    }
  });

  it('fails with one retryable STORAGE line, quickly, when the server cannot be reached', async () => {
    const started = Date.now();
    const result = await run(['buckets', 'list', '--data-dir', await tempDir()], {
      env: { VBUCKETS_DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/nothing' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: \[STORAGE\] /);
    expect(result.stderr).not.toContain('secret');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
