import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bucket } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { cliWithDataDir, stderrLines } from './helpers';

const samplesPath = new URL('../samples/buckets.json', import.meta.url);

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

async function writeJson(dir: string, name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

describe('buckets import / export', () => {
  it('imports the samples and exports them back in the same format', async () => {
    const { json, cli } = await cliWithDataDir();
    const samples = JSON.parse(await readFile(samplesPath, 'utf8'));

    const counts = await json<Counts>(['buckets', 'import', samplesPath.pathname]);
    expect(counts).toEqual({ created: 4, updated: 0, unchanged: 0 });

    const exported = await cli(['buckets', 'export']);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual(samples);
  });

  it('round-trips export into another product and data dir', async () => {
    const source = await cliWithDataDir();
    const target = await cliWithDataDir();
    await source.cli([
      'buckets',
      'add',
      '--name',
      'B',
      '--hook',
      'h1',
      '--hook',
      'h2',
      '--order',
      '7',
    ]);
    await source.cli([
      'buckets',
      'add',
      '--name',
      'A',
      '--best-for',
      'x',
      '--avatar',
      'y',
      '--angle',
      'z',
    ]);
    const exported = (await source.cli(['buckets', 'export'])).stdout;

    const file = await writeJson(target.dataDir, 'export.json', exported);
    expect(await target.json<Counts>(['buckets', 'import', file, '--product', 'copy'])).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
    });
    expect((await target.cli(['buckets', 'export', '--product', 'copy'])).stdout).toBe(exported);
  });

  it('reads standard input for -', async () => {
    const { json } = await cliWithDataDir();
    const stdin = JSON.stringify([{ name: 'Sleep' }, { name: 'Immunity' }]);
    expect(await json<Counts>(['buckets', 'import', '-'], { stdin })).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
    });
    expect((await json<Bucket[]>(['buckets', 'list'])).map((bucket) => bucket.name)).toEqual([
      'Sleep',
      'Immunity',
    ]);
  });

  it('is idempotent: a second import updates in place and creates nothing', async () => {
    const { json, cli } = await cliWithDataDir();
    const first = await cli(['buckets', 'import', samplesPath.pathname]);
    expect(first.stdout).toBe(
      'Imported 4 buckets into product "default": 4 created, 0 updated, 0 unchanged\n',
    );
    const before = await json<Bucket[]>(['buckets', 'list']);

    expect(await json<Counts>(['buckets', 'import', samplesPath.pathname])).toEqual({
      created: 0,
      updated: 0,
      unchanged: 4,
    });
    expect(await json<Bucket[]>(['buckets', 'list'])).toEqual(before);
  });

  it('updates buckets matched by name (ignoring case) and creates the rest', async () => {
    const { json, dataDir } = await cliWithDataDir();
    const sleep = await json<Bucket>([
      'buckets',
      'add',
      '--name',
      'Sleep',
      '--angle',
      'old',
      '--avatar',
      'kept',
    ]);
    const file = await writeJson(dataDir, 'changes.json', [
      { name: 'SLEEP', angle: 'new', keyCopyHooks: ['Wake up rested'] },
      { name: 'Immunity' },
    ]);

    expect(await json<Counts>(['buckets', 'import', file])).toEqual({
      created: 1,
      updated: 1,
      unchanged: 0,
    });
    const list = await json<Bucket[]>(['buckets', 'list']);
    expect(list).toMatchObject([
      // Fields the file leaves out stay as they were.
      {
        id: sleep.id,
        name: 'SLEEP',
        angle: 'new',
        avatar: 'kept',
        keyCopyHooks: ['Wake up rested'],
        displayOrder: 0,
      },
      { name: 'Immunity', displayOrder: 1 },
    ]);
  });

  it("accepts seed 000's snake_case field names", async () => {
    const { json, dataDir } = await cliWithDataDir();
    const file = await writeJson(dataDir, 'seed.json', [
      {
        name: 'Digestion & Gut Health',
        best_for: 'gut stories',
        angle: 'educational',
        avatar: 'adults with bloating',
        pain_points: ['bloating'],
        solution_mechanism: ['probiotics'],
        key_copy_hooks: ['listen to your gut'],
        display_order: 3,
      },
    ]);
    expect(await json<Counts>(['buckets', 'import', file])).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
    });
    expect(await json<Bucket[]>(['buckets', 'list'])).toMatchObject([
      {
        name: 'Digestion & Gut Health',
        bestFor: 'gut stories',
        painPoints: ['bloating'],
        solutionMechanism: ['probiotics'],
        keyCopyHooks: ['listen to your gut'],
        displayOrder: 3,
      },
    ]);
  });

  describe('a malformed file fails before anything is written', () => {
    const valid = [{ name: 'One' }, { name: 'Two' }, { name: 'Three' }];
    const cases: Array<[string, unknown, RegExp]> = [
      [
        'bad JSON',
        '[{"name": "One"},',
        /^error: \[VALIDATION\] Invalid bad\.json: not valid JSON \(.+\)$/,
      ],
      [
        'not an array',
        { name: 'One' },
        /^error: \[VALIDATION\] Invalid bad\.json: expected a JSON array of buckets, got an object$/,
      ],
      [
        'an item that is not an object',
        [...valid, 'Four'],
        /^error: \[VALIDATION\] Invalid bad\.json\[3\]: expected an object, got a string$/,
      ],
      [
        'an empty name',
        [...valid, { name: '  ' }],
        /^error: \[VALIDATION\] Invalid bad\.json\[3\]\.name: must not be empty$/,
      ],
      [
        'a missing name',
        [...valid, { angle: 'x' }],
        /^error: \[VALIDATION\] Invalid bad\.json\[3\]\.name: /,
      ],
      [
        'a wrong type in a snake_case list',
        [...valid, { name: 'Four', pain_points: ['ok', 7] }],
        /^error: \[VALIDATION\] Invalid bad\.json\[3\]\.pain_points\.1: /,
      ],
      [
        'an unknown field',
        [...valid, { name: 'Four', colour: 'red' }],
        /^error: \[VALIDATION\] Invalid bad\.json\[3\]\.colour: unknown field/,
      ],
      [
        'a field given twice',
        [...valid, { name: 'Four', bestFor: 'a', best_for: 'b' }],
        /^error: \[VALIDATION\] Invalid bad\.json\[3\]\.best_for: repeats bestFor$/,
      ],
      [
        'a name given twice',
        [...valid, { name: ' one ' }],
        /^error: \[VALIDATION\] Invalid bad\.json\[3\]\.name: "one" repeats the name of \[0\]$/,
      ],
      [
        'a non-integer order',
        [...valid, { name: 'Four', displayOrder: 1.5 }],
        /^error: \[VALIDATION\] Invalid bad\.json\[3\]\.displayOrder: /,
      ],
    ];
    for (const [label, content, message] of cases) {
      it(label, async () => {
        const { cli, json, dataDir } = await cliWithDataDir();
        await json(['buckets', 'add', '--name', 'Existing', '--angle', 'unchanged']);
        const before = await json<Bucket[]>(['buckets', 'list']);
        await writeJson(dataDir, 'bad.json', content);

        const result = await cli(['buckets', 'import', 'bad.json']);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        const lines = stderrLines(result);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(message);
        expect(await json<Bucket[]>(['buckets', 'list'])).toEqual(before);
      });
    }
  });

  it('reports a missing file as NOT_FOUND with exit 1', async () => {
    const { cli } = await cliWithDataDir();
    const result = await cli(['buckets', 'import', 'nope.json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: [NOT_FOUND] Cannot read nope.json: no such file\n');
  });
});
