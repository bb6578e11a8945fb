import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bucket } from '@vbuckets/core';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers';

const BUCKET_SUBCOMMANDS = ['add', 'list', 'show', 'update', 'rm', 'reorder', 'import', 'export'];
const TOP_COMMANDS = [
  'demo',
  'categorize',
  'resume',
  'retry',
  'sessions',
  'results',
  'export',
  'mark-uploaded',
  'unmark-uploaded',
  'uploaded',
  'buckets',
];

describe('help', () => {
  it('lists the command groups and environment variables at the top level', async () => {
    const result = await run(['--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    for (const name of TOP_COMMANDS)
      expect(result.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    for (const text of [
      'GEMINI_API_KEY',
      '130 interrupted',
      '--data-dir',
      '--org',
      '--json',
      'VBUCKETS_DATA_DIR',
      'VBUCKETS_ORG',
      'VBUCKETS_PRODUCT',
      'Examples:',
    ]) {
      expect(result.stdout).toContain(text);
    }
  });

  it('mentions every buckets subcommand', async () => {
    const result = await run(['buckets', '--help']);
    expect(result.code).toBe(0);
    for (const name of BUCKET_SUBCOMMANDS)
      expect(result.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('gives every command examples and the global options', async () => {
    const commands = [
      ...BUCKET_SUBCOMMANDS.map((name) => ['buckets', name]),
      ...TOP_COMMANDS.filter((name) => name !== 'buckets').map((name) => [name]),
    ];
    for (const argv of commands) {
      const result = await run([...argv, '--help']);
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stdout, argv.join(' ')).toContain(`Usage: vbuckets ${argv.join(' ')}`);
      expect(result.stdout, argv.join(' ')).toContain('Examples:');
      expect(result.stdout, argv.join(' ')).toContain('--data-dir <dir>');
    }
    const add = await run(['buckets', 'add', '--help']);
    for (const flag of [
      '--name',
      '--best-for',
      '--angle',
      '--avatar',
      '--pain-point',
      '--solution',
      '--hook',
      '--order',
      '--product',
    ]) {
      expect(add.stdout).toContain(flag);
    }
  });

  it('prints the version', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with help on stderr when a group is called without a subcommand', async () => {
    const result = await run(['buckets']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: vbuckets buckets');
  });
});

describe('data dir and scope', () => {
  it('creates ./.vbuckets in the working directory by default', async () => {
    const cwd = await tempDir();
    const result = await run(['buckets', 'add', '--name', 'Sleep'], { cwd });
    expect(result.code).toBe(0);
    await access(join(cwd, '.vbuckets', 'vbuckets.db'));
    await access(join(cwd, '.vbuckets', 'blobs'));
  });

  it('takes the data dir, org and product from the environment', async () => {
    const cwd = await tempDir();
    const env = { VBUCKETS_DATA_DIR: 'state', VBUCKETS_ORG: 'acme', VBUCKETS_PRODUCT: 'greens' };
    const added = await run(['buckets', 'add', '--name', 'Sleep', '--json'], { cwd, env });
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ orgId: 'acme', productId: 'greens' });
    await access(join(cwd, 'state', 'vbuckets.db'));

    const listed = await run(['buckets', 'list', '--json'], { cwd, env });
    expect((JSON.parse(listed.stdout) as Bucket[]).map((bucket) => bucket.name)).toEqual(['Sleep']);
    // Nothing was written to the default location, and flags win over the environment.
    const elsewhere = await run(['buckets', 'list', '--json', '--data-dir', '.vbuckets'], {
      cwd,
      env,
    });
    expect(JSON.parse(elsewhere.stdout)).toEqual([]);
  });

  it('accepts an absolute --data-dir and creates missing parents', async () => {
    const root = await tempDir();
    const dataDir = join(root, 'deep', 'er');
    const result = await run(['--data-dir', dataDir, 'buckets', 'list']);
    expect(result.code).toBe(0);
    await access(join(dataDir, 'vbuckets.db'));
  });

  it('reports a data dir that cannot be created on one line with exit 1', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'blocker'), 'a file where a directory should be');
    const result = await run(['--data-dir', join(root, 'blocker', 'data'), 'buckets', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: \[STORAGE\] Cannot create the data dir .+: ENOTDIR/);
  });
});
