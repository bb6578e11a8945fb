import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The fixed keys s3rver accepts (it checks the access key id, not the signature). */
export const S3RVER_CREDENTIALS = Object.freeze({
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
});

export interface StartS3ServerOptions {
  /** Buckets created before the server answers. Default `['test-bucket']`. */
  buckets?: readonly string[];
  /** How long to wait for the server to listen. Default 15 s. */
  startTimeoutMs?: number;
}

export interface S3TestServer {
  /** `http://127.0.0.1:{port}`: use with `forcePathStyle: true` and region `us-east-1`. */
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  buckets: readonly string[];
  /** The folder s3rver keeps its objects in (removed by close). */
  directory: string;
  /** The s3rver process id. */
  pid: number;
  /** Stops the process and removes its folder. */
  close(): Promise<void>;
}

const childScript = fileURLToPath(new URL('./s3rver-process.mjs', import.meta.url));

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Starts a real s3rver (an S3 emulator speaking the S3 REST protocol over HTTP) in its own
 * Node process on 127.0.0.1 and a free port, with a fresh temp folder and the given buckets.
 * s3rver checks presigned URL expiry but not signatures: put `startSigV4VerifyingProxy` in
 * front of it to test those. Writes of one key are made atomic, as S3's are.
 */
export async function startS3Server(options: StartS3ServerOptions = {}): Promise<S3TestServer> {
  const buckets = options.buckets ?? ['test-bucket'];
  const directory = await mkdtemp(join(tmpdir(), 'vbuckets-s3rver-'));
  const child = spawn(process.execPath, [childScript, JSON.stringify({ directory, buckets })], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`s3rver did not start in time: ${stderr}`)),
        options.startTimeoutMs ?? 15_000,
      );
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          resolve((JSON.parse(line) as { port: number }).port);
        } catch {
          reject(new Error(`s3rver printed ${JSON.stringify(line)} instead of its port`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`s3rver exited with code ${String(code)}: ${stderr}`));
      });
      child.once('error', reject);
    });
    let closed: Promise<void> | undefined;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { ...S3RVER_CREDENTIALS },
      buckets,
      directory,
      pid: child.pid ?? -1,
      close() {
        closed ??= (async () => {
          child.stdin?.end();
          await waitForExit(child, 5_000);
          await rm(directory, { recursive: true, force: true });
        })();
        return closed;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
