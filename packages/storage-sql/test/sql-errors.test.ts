import { notFoundError } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import {
  classifyPostgresError,
  classifySqliteError,
  createPostgresDialectAdapter,
  createSqliteDialectAdapter,
  retryWhileBusy,
} from '../src/index';

const withCode = (code: string, message = 'driver message with select * from secret') =>
  Object.assign(new Error(message), { code });

describe('classifySqliteError', () => {
  it.each([
    ['SQLITE_CONSTRAINT_UNIQUE', 'unique-violation'],
    ['SQLITE_CONSTRAINT_PRIMARYKEY', 'unique-violation'],
    ['SQLITE_CONSTRAINT_FOREIGNKEY', 'foreign-key-violation'],
    ['SQLITE_CONSTRAINT_CHECK', 'other'],
    ['SQLITE_BUSY', 'busy'],
    ['SQLITE_BUSY_SNAPSHOT', 'busy'],
    ['SQLITE_LOCKED', 'busy'],
    ['SQLITE_IOERR_WRITE', 'other'],
    ['ECONNREFUSED', 'other'],
  ])('reads %s as %s', (code, kind) => {
    expect(classifySqliteError(withCode(code))).toEqual({ kind, driverCode: code });
  });

  it('reads a call on a closed handle as closed', () => {
    expect(classifySqliteError(new TypeError('The database connection is not open')).kind).toBe(
      'closed',
    );
  });
});

describe('classifyPostgresError', () => {
  it.each([
    ['23505', 'unique-violation'],
    ['23503', 'foreign-key-violation'],
    ['40001', 'busy'],
    ['40P01', 'busy'],
    ['55P03', 'busy'],
    ['08006', 'connection'],
    ['57P01', 'connection'],
    ['ECONNREFUSED', 'connection'],
    ['42P01', 'other'],
  ])('reads %s as %s', (code, kind) => {
    expect(classifyPostgresError(withCode(code))).toEqual({ kind, driverCode: code });
  });

  it('reads a closed pool and a dropped connection by their messages', () => {
    expect(
      classifyPostgresError(new Error('Cannot use a pool after calling end on the pool')).kind,
    ).toBe('closed');
    expect(classifyPostgresError(new Error('Connection terminated unexpectedly')).kind).toBe(
      'connection',
    );
  });
});

describe('mapError', () => {
  const sqlite = createSqliteDialectAdapter();
  const postgres = createPostgresDialectAdapter();

  it('turns unique violations into CONFLICT with the context’s message', () => {
    const error = postgres.mapError(withCode('23505'), {
      operation: 'buckets.insert',
      conflictMessage: 'name taken',
    });
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('Name taken');
    expect([error.adapter, error.operation]).toEqual(['postgres', 'buckets.insert']);
    expect(error.retryable).toBe(false);
  });

  it('turns foreign-key violations into NOT_FOUND unless the context says CONFLICT', () => {
    expect(sqlite.mapError(withCode('SQLITE_CONSTRAINT_FOREIGNKEY'), { operation: 'x' }).code).toBe(
      'NOT_FOUND',
    );
    const inUse = sqlite.mapError(withCode('SQLITE_CONSTRAINT_FOREIGNKEY'), {
      operation: 'sessions.delete',
      foreignKey: { code: 'CONFLICT', message: 'the session still has rows' },
    });
    expect([inUse.code, inUse.message]).toEqual(['CONFLICT', 'The session still has rows']);
  });

  it('turns busy and connection errors into retryable STORAGE', () => {
    for (const error of [
      sqlite.mapError(withCode('SQLITE_BUSY'), { operation: 'x' }),
      postgres.mapError(withCode('40P01'), { operation: 'x' }),
      postgres.mapError(withCode('ECONNRESET'), { operation: 'x' }),
    ]) {
      expect([error.code, error.retryable]).toEqual(['STORAGE', true]);
    }
  });

  it('turns anything else into STORAGE that names the code but never quotes the driver', () => {
    const cause = withCode('42601', 'syntax error at or near "DROP TABLE buckets"');
    const error = postgres.mapError(cause, { operation: 'buckets.list' });
    expect(error.code).toBe('STORAGE');
    expect(error.message).toBe('The database refused the request (42601)');
    expect([error.adapter, error.operation]).toEqual(['postgres', 'buckets.list']);
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ operation: 'buckets.list', driverCode: '42601' });
    expect(sqlite.mapError('a string', { operation: 'y' }).message).toBe(
      'The database refused the request',
    );
  });

  it('passes a VBucketsError through unchanged', () => {
    const original = notFoundError('gone');
    expect(sqlite.mapError(original, { operation: 'x' })).toBe(original);
  });
});

describe('retryWhileBusy', () => {
  const isBusy = (error: unknown) => (error as { code?: string }).code === 'BUSY';

  it('tries again while busy, then returns the result', async () => {
    let attempts = 0;
    const value = await retryWhileBusy(
      async () => {
        attempts += 1;
        if (attempts < 4) throw withCode('BUSY');
        return 'done';
      },
      { isBusy, timeoutMs: 1_000 },
    );
    expect([value, attempts]).toEqual(['done', 4]);
  });

  it('does not retry other errors', async () => {
    let attempts = 0;
    await expect(
      retryWhileBusy(
        async () => {
          attempts += 1;
          throw withCode('OTHER');
        },
        { isBusy, timeoutMs: 1_000 },
      ),
    ).rejects.toMatchObject({ code: 'OTHER' });
    expect(attempts).toBe(1);
  });

  it('gives up with the last busy error once the time is spent', async () => {
    const started = Date.now();
    await expect(
      retryWhileBusy(
        async () => {
          throw withCode('BUSY');
        },
        { isBusy, timeoutMs: 40 },
      ),
    ).rejects.toMatchObject({ code: 'BUSY' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    // It stops (rather than retrying on); generous room for a busy machine.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('tries once when the timeout is 0', async () => {
    let attempts = 0;
    await expect(
      retryWhileBusy(
        async () => {
          attempts += 1;
          throw withCode('BUSY');
        },
        { isBusy, timeoutMs: 0 },
      ),
    ).rejects.toBeDefined();
    expect(attempts).toBe(1);
  });
});
