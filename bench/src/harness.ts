import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What every benchmark reports: its own figures plus ratios against a baseline run in the same process. */
export interface BenchmarkResult {
  /** Raw measurements (rates, latencies, sizes), with units in the key names. */
  metrics: Record<string, number>;
  /** How the same work performs done the baseline way, measured in this run. */
  baseline: { description: string; metrics: Record<string, number> };
  /** Ours ÷ baseline (or the inverse where lower is better), named for what they compare. */
  ratios: Record<string, number>;
  /** Targets from the issue, with whether this run met them. */
  targets?: Record<string, { target: string; met: boolean }>;
  /** Parameters of the run (row counts, sizes). */
  parameters: Record<string, number | string>;
}

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<BenchmarkResult>;
}

export const resultsDirectory = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export function writeResult(benchmark: Benchmark, result: BenchmarkResult): string {
  mkdirSync(resultsDirectory, { recursive: true });
  const path = join(resultsDirectory, `${benchmark.name}.json`);
  const document = {
    name: benchmark.name,
    description: benchmark.description,
    measuredAt: new Date().toISOString(),
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryBytes: totalmem(),
    },
    ...result,
  };
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}

/** The value below which `fraction` of the sorted samples fall (nearest rank). */
export function percentile(sortedSamples: readonly number[], fraction: number): number {
  if (sortedSamples.length === 0) return Number.NaN;
  const rank = Math.min(
    sortedSamples.length - 1,
    Math.max(0, Math.ceil(fraction * sortedSamples.length) - 1),
  );
  return sortedSamples[rank] ?? Number.NaN;
}

/** Times each call of `operation` and returns p50/p99/mean in milliseconds. */
export async function measureLatency(
  iterations: number,
  operation: (iteration: number) => Promise<unknown> | unknown,
): Promise<{ p50Ms: number; p99Ms: number; meanMs: number }> {
  const samples: number[] = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    const started = process.hrtime.bigint();
    await operation(iteration);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((left, right) => left - right);
  const meanMs = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return { p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99), meanMs };
}

export const round = (value: number, digits = 3) => Number(value.toFixed(digits));

export function integerFromEnvironment(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** A finished command's wall time and output. */
export interface Timed {
  seconds: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; its wall time covers the whole process, start-up included. */
export function timedRun(command: string, args: readonly string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) resolve({ seconds, stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
    });
  });
}
