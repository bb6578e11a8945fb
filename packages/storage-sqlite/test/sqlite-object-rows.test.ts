import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectRows } from '../src/sqlite-store';

let database: Database.Database;

beforeEach(() => {
  database = new Database(':memory:');
  database.exec(`
    create table a (id integer primary key, name text, note text);
    create table b (id integer primary key, a_id integer, name text);
    insert into a values (1, 'first', null), (2, 'second', 'x');
    insert into b values (10, 1, 'b of first'), (11, 2, 'b of second');
  `);
});

afterEach(() => database.close());

/** What better-sqlite3's own row objects hold for the same text. */
const native = (text: string, parameters: unknown[] = []) =>
  database.prepare(text).all(...parameters);

describe('rows made into objects from arrays', () => {
  it('gives the same objects as better-sqlite3, a later column winning over an earlier one of its name', () => {
    const text = 'select * from a join b on b.a_id = a.id where a.id >= ? order by a.id';
    const rows = objectRows(database.prepare(text)).all([1]);
    expect(rows).toEqual(native(text, [1]));
    expect(rows[0]).toEqual({ id: 10, name: 'b of first', note: null, a_id: 1 });
  });

  it('reads the column names again when a cached select * meets a table altered under it', () => {
    const statement = objectRows(database.prepare('select * from a order by id'));
    expect(statement.all([])).toEqual(native('select * from a order by id'));
    database.exec("alter table a add column extra text default 'added'");
    const rows = statement.all([]);
    expect(rows).toEqual(native('select * from a order by id'));
    expect(rows[1]).toEqual({ id: 2, name: 'second', note: 'x', extra: 'added' });
  });

  it('iterates rows as objects, and runs statements that return no rows unchanged', () => {
    const insert = objectRows(database.prepare('insert into a (name) values (?)'));
    expect(insert.reader).toBe(false);
    expect(Number(insert.run(['third']).changes)).toBe(1);
    const statement = objectRows(
      database.prepare('select id, name from a where id > ? order by id'),
    );
    expect([...statement.iterate([1])]).toEqual([
      { id: 2, name: 'second' },
      { id: 3, name: 'third' },
    ]);
  });
});
