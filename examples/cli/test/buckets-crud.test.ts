import type { Bucket } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { cliWithDataDir, stderrLines } from './helpers';

describe('buckets add / list / show / update / rm', () => {
  it('round-trips a bucket in text output', async () => {
    const { cli } = await cliWithDataDir();

    const added = await cli([
      'buckets',
      'add',
      '--name',
      'Gut Health',
      '--best-for',
      'bloating stories',
      '--angle',
      'educational',
      '--avatar',
      'women 30-55',
      '--pain-point',
      'Bloated after meals',
      '--pain-point',
      'Irregular digestion',
      '--solution',
      'Probiotics',
      '--hook',
      'Your gut is talking',
    ]);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(/^Created bucket "Gut Health" \(.+\)\n$/);
    await cli(['buckets', 'add', '--name', 'Sleep', '--best-for', 'night routines']);

    const list = await cli(['buckets', 'list']);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ORDER\s+NAME\s+BEST FOR\s+ID$/);
    expect(lines[1]).toMatch(/^\s*0\s+Gut Health\s+bloating stories\s+\S+$/);
    expect(lines[2]).toMatch(/^\s*1\s+Sleep\s+night routines\s+\S+$/);

    const show = await cli(['buckets', 'show', 'GUT  health']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Gut Health\n');
    expect(show.stdout).toMatch(/best for:\s+bloating stories/);
    expect(show.stdout).toContain('    - Bloated after meals\n    - Irregular digestion\n');
    expect(show.stdout).toContain('    - Your gut is talking\n');

    const updated = await cli([
      'buckets',
      'update',
      'gut health',
      '--angle',
      'myth-busting',
      '--hook',
      'New hook',
    ]);
    expect(updated).toMatchObject({ code: 0, stderr: '' });
    expect(updated.stdout).toMatch(/^Updated bucket "Gut Health"/);
    const afterUpdate = await cli(['buckets', 'show', 'Gut Health']);
    expect(afterUpdate.stdout).toMatch(/angle:\s+myth-busting/);
    expect(afterUpdate.stdout).toContain('    - New hook\n');
    expect(afterUpdate.stdout).not.toContain('Your gut is talking');
    expect(afterUpdate.stdout).toContain('    - Bloated after meals\n');

    const removed = await cli(['buckets', 'rm', 'sleep']);
    expect(removed.stdout).toMatch(/^Deleted bucket "Sleep"/);
    const finalList = await cli(['buckets', 'list']);
    expect(finalList.stdout).not.toContain('Sleep');
    expect(finalList.stdout).toContain('Gut Health');
  });

  it('round-trips a bucket in JSON output', async () => {
    const { json } = await cliWithDataDir();

    const created = await json<Bucket>([
      'buckets',
      'add',
      '--name',
      'Energy & Focus',
      '--pain-point',
      '3pm crash',
      '--order',
      '5',
    ]);
    expect(created).toMatchObject({
      name: 'Energy & Focus',
      orgId: 'local',
      productId: 'default',
      painPoints: ['3pm crash'],
      solutionMechanism: [],
      keyCopyHooks: [],
      displayOrder: 5,
      bestFor: '',
    });
    expect(typeof created.id).toBe('string');

    expect(await json<Bucket[]>(['buckets', 'list'])).toEqual([created]);
    expect(await json<Bucket>(['buckets', 'show', created.id])).toEqual(created);

    const updated = await json<Bucket>([
      'buckets',
      'update',
      created.id,
      '--name',
      'Energy and Focus',
      '--order',
      '-1',
    ]);
    expect(updated).toMatchObject({
      id: created.id,
      name: 'Energy and Focus',
      displayOrder: -1,
      painPoints: ['3pm crash'],
    });

    // An empty value for a repeatable flag clears the list.
    const cleared = await json<Bucket>(['buckets', 'update', created.id, '--pain-point', '']);
    expect(cleared.painPoints).toEqual([]);

    const removed = await json<{ deleted: Bucket }>(['buckets', 'rm', 'energy and focus']);
    expect(removed.deleted).toMatchObject({ id: created.id, name: 'Energy and Focus' });
    expect(await json<Bucket[]>(['buckets', 'list'])).toEqual([]);
  });

  it('keeps products and orgs apart', async () => {
    const { json } = await cliWithDataDir();
    await json(['buckets', 'add', '--name', 'Sleep']);
    await json(['buckets', 'add', '--name', 'Sleep', '--product', 'other']);
    await json(['buckets', 'add', '--name', 'Sleep', '--org', 'acme']);

    expect(await json<Bucket[]>(['buckets', 'list'])).toHaveLength(1);
    const other = await json<Bucket[]>(['buckets', 'list', '--product', 'other']);
    expect(other).toMatchObject([{ name: 'Sleep', productId: 'other', orgId: 'local' }]);
    const acme = await json<Bucket[]>(['buckets', 'list', '--org', 'acme']);
    expect(acme).toMatchObject([{ name: 'Sleep', productId: 'default', orgId: 'acme' }]);
  });

  it('says so when a product has no buckets', async () => {
    const { cli } = await cliWithDataDir();
    const result = await cli(['buckets', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No buckets in product "default"');
  });

  it('reorders by id or name, the unnamed buckets keeping their order after', async () => {
    const { json } = await cliWithDataDir();
    for (const name of ['A', 'B', 'C', 'D']) await json(['buckets', 'add', '--name', name]);
    const d = (await json<Bucket[]>(['buckets', 'list']))[3]!;

    const ordered = await json<Bucket[]>(['buckets', 'reorder', d.id, 'c']);
    expect(ordered.map((bucket) => [bucket.name, bucket.displayOrder])).toEqual([
      ['D', 0],
      ['C', 1],
      ['A', 2],
      ['B', 3],
    ]);
    expect((await json<Bucket[]>(['buckets', 'list'])).map((bucket) => bucket.name)).toEqual([
      'D',
      'C',
      'A',
      'B',
    ]);
  });
});

describe('buckets errors', () => {
  it('refuses a duplicate name with exit 2 and one CONFLICT line', async () => {
    const { cli } = await cliWithDataDir();
    await cli(['buckets', 'add', '--name', 'Gut Health']);
    const result = await cli(['buckets', 'add', '--name', '  gut   HEALTH ']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(stderrLines(result)).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: \[CONFLICT\] .+\n$/);
  });

  it('refuses renaming onto another bucket with CONFLICT', async () => {
    const { cli } = await cliWithDataDir();
    await cli(['buckets', 'add', '--name', 'Sleep']);
    await cli(['buckets', 'add', '--name', 'Immunity']);
    const result = await cli(['buckets', 'update', 'immunity', '--name', 'SLEEP']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: \[CONFLICT\] .+\n$/);
  });

  it('reports an unknown id or name with exit 1 and one NOT_FOUND line', async () => {
    const { cli } = await cliWithDataDir();
    for (const command of [['show'], ['rm'], ['update', '--angle', 'x'], ['reorder']]) {
      const [verb, ...flags] = command;
      const result = await cli(['buckets', verb!, 'no-such-bucket', ...flags]);
      expect(result.code, verb).toBe(1);
      expect(stderrLines(result), verb).toEqual([
        'error: [NOT_FOUND] No bucket with id or name "no-such-bucket" in product "default"',
      ]);
    }
  });

  it('rejects an empty name with exit 2 and one VALIDATION line naming the field', async () => {
    const { cli, json } = await cliWithDataDir();
    const result = await cli(['buckets', 'add', '--name', '   ']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: [VALIDATION] Invalid bucket.name: must not be empty\n');
    expect(await json(['buckets', 'list'])).toEqual([]);
  });

  it('rejects a reorder that names a bucket twice', async () => {
    const { cli } = await cliWithDataDir();
    await cli(['buckets', 'add', '--name', 'Sleep']);
    await cli(['buckets', 'add', '--name', 'Immunity']);
    const result = await cli(['buckets', 'reorder', 'sleep', 'SLEEP']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: [VALIDATION] Bucket "Sleep" is listed twice\n');
  });

  it('rejects an update that changes nothing', async () => {
    const { cli } = await cliWithDataDir();
    await cli(['buckets', 'add', '--name', 'Sleep']);
    const result = await cli(['buckets', 'update', 'sleep']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: \[VALIDATION\] Nothing to update: .+\n$/);
  });

  it('reports usage errors on one line with exit 2', async () => {
    const { cli } = await cliWithDataDir();
    const cases: Array<[string[], RegExp]> = [
      [['buckets', 'add'], /required option '--name <name>' not specified/],
      [
        ['buckets', 'add', '--name', 'X', '--order', 'first'],
        /'--order <n>' argument 'first' is invalid/,
      ],
      [['buckets', 'add', '--name', 'X', '--colour', 'red'], /unknown option '--colour'/],
      // A misspelt required flag was reported as "--name not specified", with no suggestion.
      [['buckets', 'add', '--nme', 'x'], /unknown option '--nme' \(Did you mean --name\?\)/],
      [['buckets', 'show'], /missing required argument 'id\|name'/],
      [['buckets', 'frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(stderrLines(result), argv.join(' ')).toHaveLength(1);
      expect(result.stderr).toMatch(/^error: \[USAGE\] /);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/\(see 'vbuckets buckets( add| show)? --help'\)\n$/);
    }
  });
});
