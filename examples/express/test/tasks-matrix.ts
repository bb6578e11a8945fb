import { assertMatrix, type MatrixActor } from './auth-matrix';
import type { TestHost } from './host';

/** One route's row: the request made from what `setup` returned, and each actor's status. */
export interface MatrixRow<Context> {
  name: string;
  request: (context: Context) => [path: string, init: RequestInit & { json?: unknown }];
  expected: Record<MatrixActor, number>;
}

/** Runs `assertMatrix` for each row, every cell on a fresh `setup` made by the owner. */
export async function assertMatrixRows<Context>(
  host: TestHost,
  setup: (host: TestHost, ownerToken: string) => Promise<Context>,
  rows: readonly MatrixRow<Context>[],
): Promise<void> {
  for (const row of rows) {
    await assertMatrix(host, {
      name: row.name,
      setup,
      request: (current, token, context) => {
        const [path, init] = row.request(context);
        return current.call(path, { ...init, ...(token === undefined ? {} : { token }) });
      },
      expected: row.expected,
    });
  }
}
