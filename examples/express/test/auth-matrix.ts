import { expect } from 'vitest';
import { type TestHost, tokenFor } from './host';

/** The callers of the matrix: nobody, the record's owner, others of its org, another org. */
export const ACTORS = ['anonymous', 'owner', 'member', 'admin', 'otherOrg'] as const;
export type MatrixActor = (typeof ACTORS)[number];

/** The org and users of the matrix: the owner `ana`, a member `bo`, an admin `cy` of `acme`; `dee` of `globex`. */
export const MATRIX_ORG = 'acme';
export const MATRIX_USERS = {
  owner: { userId: 'ana', orgId: MATRIX_ORG, roles: [] as string[] },
  member: { userId: 'bo', orgId: MATRIX_ORG, roles: [] as string[] },
  admin: { userId: 'cy', orgId: MATRIX_ORG, roles: ['admin'] },
  otherOrg: { userId: 'dee', orgId: 'globex', roles: ['admin'] },
} as const;

/** Bearer tokens of the matrix's actors (`undefined` for anonymous). */
export async function matrixTokens(): Promise<Record<MatrixActor, string | undefined>> {
  return {
    anonymous: undefined,
    owner: await tokenFor(MATRIX_USERS.owner),
    member: await tokenFor(MATRIX_USERS.member),
    admin: await tokenFor(MATRIX_USERS.admin),
    otherOrg: await tokenFor(MATRIX_USERS.otherOrg),
  };
}

/**
 * One route's row of the matrix. `setup` makes a fresh record as the owner before each cell (so
 * a write by one actor never changes what the next one meets); `request` calls the route as the
 * actor; `expected` is the status each actor must get.
 */
export interface MatrixCase<Context> {
  name: string;
  setup: (host: TestHost, ownerToken: string) => Promise<Context>;
  request: (host: TestHost, token: string | undefined, context: Context) => Promise<Response>;
  expected: Record<MatrixActor, number>;
}

/** Expected statuses of the common rule: records are shared within an org, hidden from others. */
export const ORG_SHARED = (success: number): Record<MatrixActor, number> => ({
  anonymous: 401,
  owner: success,
  member: success,
  admin: success,
  otherOrg: 404,
});

/** Runs every cell and asserts the whole row at once, so a failure shows every wrong cell. */
export async function assertMatrix<Context>(host: TestHost, row: MatrixCase<Context>) {
  const tokens = await matrixTokens();
  const owner = tokens.owner as string;
  const actual = {} as Record<MatrixActor, number>;
  for (const actor of ACTORS) {
    const context = await row.setup(host, owner);
    const response = await row.request(host, tokens[actor], context);
    actual[actor] = response.status;
    if (response.status >= 400) {
      expect(response.headers.get('content-type') ?? '', `${row.name} as ${actor}`).toMatch(
        /^application\/problem\+json/,
      );
    }
    await response.body?.cancel();
  }
  expect({ route: row.name, ...actual }).toEqual({ route: row.name, ...row.expected });
}
