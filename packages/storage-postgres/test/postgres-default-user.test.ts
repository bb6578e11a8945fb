import os from 'node:os';
import { expectOk } from '@vbuckets/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withDefaultUser } from '../src/postgres-pool';
import { admin, openStore, postgresUrl, useTestSchemas } from './helpers';

const schemaName = useTestSchemas();

function withoutUser(connectionString: string): string {
  const url = new URL(connectionString);
  url.username = '';
  url.password = '';
  return url.toString();
}

describe('a connection string without a user name', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('takes PGUSER, then the OS user, as libpq does', () => {
    const bare = 'postgresql://db.example:5432/app';
    expect(withDefaultUser(bare, { PGUSER: 'alice' }, () => 'bob')).toBe(
      'postgresql://alice@db.example:5432/app',
    );
    expect(withDefaultUser(bare, {}, () => 'bob')).toBe('postgresql://bob@db.example:5432/app');
    expect(withDefaultUser(bare, { PGUSER: '' }, () => 'b b')).toBe(
      'postgresql://b%20b@db.example:5432/app',
    );
  });

  it('leaves a URL that names its user, or that cannot be read, unchanged', () => {
    const named = 'postgres://carol:secret@db.example/app';
    expect(withDefaultUser(named, { PGUSER: 'alice' }, () => 'bob')).toBe(named);
    expect(withDefaultUser('postgres://db.example/app?user=dave', {}, () => 'bob')).toBe(
      'postgres://db.example/app?user=dave',
    );
    expect(withDefaultUser('not a url', {}, () => 'bob')).toBe('not a url');
    const noPasswdEntry = () => {
      throw new Error('ENOENT');
    };
    expect(withDefaultUser('postgres://db.example/app', {}, noPasswdEntry)).toBe(
      'postgres://db.example/app',
    );
  });

  // Issue 10 point 3: with neither PGUSER nor USER set, pg sent no user and the server said
  // "no PostgreSQL user name specified in startup packet".
  it('connects to the real server as the OS user when PGUSER and USER are unset', async () => {
    const osUser = os.userInfo().username;
    // The role libpq would use must exist for the server to accept it (trust auth here).
    await admin(
      `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${quoteLiteral(osUser)}) THEN CREATE ROLE ${quoteIdentifier(osUser)} LOGIN SUPERUSER; END IF; END $$`,
    );
    vi.stubEnv('PGUSER', undefined);
    vi.stubEnv('USER', undefined);
    vi.stubEnv('USERNAME', undefined);
    const store = await openStore(schemaName(), { connectionString: withoutUser(postgresUrl) });
    try {
      expect(await expectOk(store.buckets.list({ orgId: 'org-a' }))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function quoteIdentifier(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
