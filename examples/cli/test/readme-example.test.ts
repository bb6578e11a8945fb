import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from './helpers';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const generated = fileURLToPath(new URL('./.generated/', import.meta.url));

/** The README's "SDK in 20 lines" block, with its file paths moved into `directory`. */
async function readmeExample(directory: string): Promise<string> {
  const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
  const section = readme.split('## The SDK in 20 lines')[1] ?? '';
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (code === undefined)
    throw new Error('README.md has no ```ts block under "The SDK in 20 lines"');
  return code
    .replace("'./vbuckets.db'", JSON.stringify(join(directory, 'vbuckets.db')))
    .replace("'./blobs'", JSON.stringify(join(directory, 'blobs')));
}

afterAll(async () => {
  await rm(generated, { recursive: true, force: true });
});

describe('the README example', () => {
  it('runs as written: creates a bucket, lists it, and reports a CONFLICT the second time', async () => {
    const directory = await tempDir();
    const code = await readmeExample(directory);
    expect(code.split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(22);
    await mkdir(generated, { recursive: true });
    const table = vi.spyOn(console, 'table').mockImplementation(() => undefined);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (const run of [1, 2]) {
        const file = join(generated, `readme-example-${process.pid}-${run}.ts`);
        await writeFile(file, code);
        await import(file);
      }
      expect(table).toHaveBeenNthCalledWith(1, ['Digestion & Gut Health']);
      expect(table).toHaveBeenNthCalledWith(2, ['Digestion & Gut Health']);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(errors.mock.calls[0]?.[0]).toBe('CONFLICT');
    } finally {
      table.mockRestore();
      errors.mockRestore();
    }
  });
});
