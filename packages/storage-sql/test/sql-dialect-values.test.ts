import { describe, expect, it } from 'vitest';
import { createPostgresDialectAdapter, createSqliteDialectAdapter } from '../src/index';

const sqlite = createSqliteDialectAdapter();
const postgres = createPostgresDialectAdapter();

describe('column values', () => {
  it('stores JSON as text in both dialects and parses it back only where the driver does not', () => {
    const value = { list: ['a', 1, null], nested: { ok: true } };
    expect(sqlite.encodeJson(value)).toBe(JSON.stringify(value));
    expect(postgres.encodeJson(['x', 'y'])).toBe('["x","y"]');
    expect(sqlite.decodeJson(JSON.stringify(value))).toEqual(value);
    expect(postgres.decodeJson(value)).toBe(value);
    // A jsonb string comes back from pg already parsed; parsing again would break it.
    expect(postgres.decodeJson('{"not":"parsed"}')).toBe('{"not":"parsed"}');
  });

  it('stores booleans as 0/1 in SQLite and as booleans in PostgreSQL', () => {
    expect([sqlite.encodeBoolean(true), sqlite.encodeBoolean(false)]).toEqual([1, 0]);
    expect([postgres.encodeBoolean(true), postgres.encodeBoolean(false)]).toEqual([true, false]);
    expect([sqlite.decodeBoolean(1), sqlite.decodeBoolean(0)]).toEqual([true, false]);
    expect([postgres.decodeBoolean(true), postgres.decodeBoolean(false)]).toEqual([true, false]);
  });

  it('writes and reads timestamps as canonical ISO strings, whatever the driver returns', () => {
    expect(sqlite.encodeTimestamp('2026-01-15T10:00:00Z')).toBe('2026-01-15T10:00:00.000Z');
    expect(sqlite.decodeTimestamp('2026-01-15T10:00:00.123Z')).toBe('2026-01-15T10:00:00.123Z');
    expect(postgres.decodeTimestamp(new Date(Date.UTC(2026, 0, 15, 10)))).toBe(
      '2026-01-15T10:00:00.000Z',
    );
    expect(() => sqlite.encodeTimestamp('yesterday')).toThrow(TypeError);
    // Read back in the canonical form it was written in, a value is returned as it is; a
    // value in another form (a row written by hand) is still made canonical.
    expect(sqlite.decodeTimestamp('2026-01-15T10:00:00Z')).toBe('2026-01-15T10:00:00.000Z');
    expect(postgres.decodeTimestamp('2026-01-15T10:00:00+00:00')).toBe('2026-01-15T10:00:00.000Z');
    expect(() => sqlite.decodeTimestamp('not a time')).toThrow(TypeError);
  });

  it('declares the DDL types of the portable column kinds', () => {
    expect(sqlite.columnTypes).toEqual({
      json: 'text',
      boolean: 'integer',
      timestamp: 'text',
      integer: 'integer',
      float: 'real',
    });
    expect(postgres.columnTypes).toEqual({
      json: 'jsonb',
      boolean: 'boolean',
      timestamp: 'timestamptz',
      integer: 'bigint',
      float: 'double precision',
    });
  });
});
