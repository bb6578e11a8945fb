import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AuditEvent, isSettingsError } from '@vbuckets/core';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonLinesAuditSink } from '../src/index';

const scratch = await mkdtemp(path.join(tmpdir(), 'vbuckets-audit-'));
let files = 0;
const freshLogPath = () => {
  files += 1;
  return path.join(scratch, `case-${files}`, 'logs', 'uploads.log');
};

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: 'event-1',
    at: '2026-02-11T08:00:00.000Z',
    orgId: 'org-1',
    videoId: 'clip_001',
    platform: 'instagram',
    status: 'SUCCESS',
    uploadId: 'ABC123',
    retryCount: 0,
    errorMessage: null,
    metadata: {},
    ...overrides,
  };
}

async function lines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

describe('createJsonLinesAuditSink', () => {
  it("writes one JSON line per event with seed 001's field names, plus org_id", async () => {
    const file = freshLogPath();
    const sink = createJsonLinesAuditSink({ path: file });
    (await sink.write(event()))._unsafeUnwrap();
    (
      await sink.write(
        event({
          status: 'FAILED',
          retryCount: 2,
          errorMessage: 'timeout\nwith a line break',
          uploadId: null,
          metadata: { attempt: 2 },
        }),
      )
    )._unsafeUnwrap();
    const [first, second] = await lines(file);
    expect(first).toBe(
      '{"timestamp":"2026-02-11T08:00:00.000Z","video_id":"clip_001","platform":"instagram","status":"SUCCESS",' +
        '"upload_id":"ABC123","retry_count":0,"error_message":null,"metadata":{},"org_id":"org-1"}',
    );
    expect(JSON.parse(second!)).toEqual({
      timestamp: '2026-02-11T08:00:00.000Z',
      video_id: 'clip_001',
      platform: 'instagram',
      status: 'FAILED',
      upload_id: null,
      retry_count: 2,
      error_message: 'timeout\nwith a line break',
      metadata: { attempt: 2 },
      org_id: 'org-1',
    });
  });

  it('appends to an existing log instead of replacing it', async () => {
    const file = freshLogPath();
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{"earlier":true}\n');
    const sink = createJsonLinesAuditSink({ path: file, fsync: true });
    (await sink.write(event()))._unsafeUnwrap();
    const written = await lines(file);
    expect(written).toHaveLength(2);
    expect(written[0]).toBe('{"earlier":true}');
  });

  it('keeps the order of calls from one process, even when not awaited one by one', async () => {
    const file = freshLogPath();
    const sink = createJsonLinesAuditSink({ path: file });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, index) => sink.write(event({ retryCount: index }))),
    );
    expect(results.every((result) => result.isOk())).toBe(true);
    const counts = (await lines(file)).map(
      (line) => (JSON.parse(line) as { retry_count: number }).retry_count,
    );
    expect(counts).toEqual(Array.from({ length: 100 }, (_, index) => index));
  });

  it('refuses an invalid event or one that is not JSON, writing nothing', async () => {
    const file = freshLogPath();
    const sink = createJsonLinesAuditSink({ path: file });
    const invalid = (await sink.write(event({ retryCount: -1 })))._unsafeUnwrapErr();
    expect(invalid.code).toBe('VALIDATION');
    expect(invalid.message).toMatch(/^Invalid auditEvent\.retryCount/);
    expect(invalid).toMatchObject({ adapter: 'fs', operation: 'auditSink.write' });
    const notJson = (await sink.write(event({ metadata: { size: 10n } })))._unsafeUnwrapErr();
    expect(notJson.code).toBe('VALIDATION');
    expect(notJson.path).toBe('metadata');
    await expect(readFile(file)).rejects.toThrow();
  });

  it('reports STORAGE when the log cannot be written, and keeps working afterwards', async () => {
    const file = freshLogPath();
    // A folder where the file should be: open fails with EISDIR.
    await mkdir(file, { recursive: true });
    const sink = createJsonLinesAuditSink({ path: file });
    const error = (await sink.write(event()))._unsafeUnwrapErr();
    expect(error.code).toBe('STORAGE');
    expect(error.message).toMatch(/^Appending to the audit log failed \(EISDIR/);
    expect(error).toMatchObject({ adapter: 'fs', operation: 'auditSink.write' });
    await rm(file, { recursive: true });
    (await sink.write(event()))._unsafeUnwrap();
    expect(await lines(file)).toHaveLength(1);
  });

  it('throws nothing for invalid settings: every write answers VALIDATION naming the field', async () => {
    const sink = createJsonLinesAuditSink({ path: '' });
    const error = (await sink.write(event()))._unsafeUnwrapErr();
    expect(error).toMatchObject({
      code: 'VALIDATION',
      path: 'path',
      adapter: 'fs',
      operation: 'auditSink.write',
    });
    expect(error.message).toMatch(/^Invalid JSON-lines audit sink settings\.path: /);
    expect(isSettingsError(error)).toBe(true);
  });

  describe('with several processes appending to one file', () => {
    let bundle: string;

    beforeAll(async () => {
      // Child processes run plain Node, so the sink (TypeScript, importing core's sources) is bundled first.
      bundle = path.join(scratch, 'audit-sink.bundle.mjs');
      await build({
        entryPoints: [fileURLToPath(new URL('../src/json-lines-audit-sink.ts', import.meta.url))],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outfile: bundle,
        alias: {
          '@vbuckets/core/adapter-kit': fileURLToPath(
            new URL('../../core/src/adapter-kit.ts', import.meta.url),
          ),
          '@vbuckets/core': fileURLToPath(new URL('../../core/src/index.ts', import.meta.url)),
        },
        logLevel: 'silent',
      });
    });

    it('never interleaves lines: every line parses and every event is there once', {
      timeout: 60_000,
    }, async () => {
      const file = freshLogPath();
      const writers = 6;
      const perWriter = 150;
      // Lines over 8 KiB: larger than PIPE_BUF, so a writer splitting a line into parts would show.
      const padding = 8 * 1024;
      const script = fileURLToPath(new URL('./fixtures/append-audit-events.mjs', import.meta.url));
      await Promise.all(
        Array.from(
          { length: writers },
          (_, writer) =>
            new Promise<void>((resolve, reject) => {
              const child = spawn(
                process.execPath,
                [script, bundle, file, String(writer), String(perWriter), String(padding)],
                { stdio: ['ignore', 'inherit', 'pipe'] },
              );
              let stderr = '';
              child.stderr.on('data', (chunk: Buffer) => {
                stderr += chunk.toString();
              });
              child.on('error', reject);
              child.on('exit', (code) =>
                code === 0
                  ? resolve()
                  : reject(new Error(`writer ${writer} exited ${code}: ${stderr}`)),
              );
            }),
        ),
      );
      const written = await lines(file);
      expect(written).toHaveLength(writers * perWriter);
      const seen = new Set<string>();
      for (const line of written) {
        const parsed = JSON.parse(line) as { upload_id: string; metadata: { filler: string } };
        expect(parsed.metadata.filler).toHaveLength(padding);
        seen.add(parsed.upload_id);
      }
      expect(seen.size).toBe(writers * perWriter);
    });
  });
});
