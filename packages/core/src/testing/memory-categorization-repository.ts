import { err, ok } from 'neverthrow';
import { isRowHeldByOther, planRowLease, rowLeaseLost } from '../domain/categorization/row-claim';
import { conflictError, notFoundError } from '../errors';
import type {
  CategorizationPatch,
  CategorizationRepository,
  CategorizationSessionRepository,
  CategorizationTally,
} from '../ports/store';
import type { CategorizationSession } from '../schemas/categorization';
import type { MemoryStoreAccess } from './memory-store-access';
import {
  applyPatch,
  compareNullableText,
  compareText,
  compareTimestamps,
  copyCategorization,
  copySession,
  countRows,
  type MemoryStoreState,
  ownedBy,
  pageOf,
  visibleToList,
} from './memory-store-state';

const DEFAULT_RECENT_LIMIT = 10;

const PATCHABLE: ReadonlyArray<keyof CategorizationPatch> = [
  'videoId',
  'bucketId',
  'bucketName',
  'confidence',
  'reasoning',
  'summary',
  'transcript',
  'analysis',
  'status',
  'errorMessage',
  'isUploaded',
  'updatedAt',
];

const sessionNotFound = (id: string) =>
  notFoundError(`No categorization session "${id}"`, { adapter: 'memory', details: { id } });
const rowNotFound = (id: string) =>
  notFoundError(`No categorization "${id}"`, { adapter: 'memory', details: { id } });

function withCounts(state: MemoryStoreState, sessionId: string): CategorizationSession {
  const session = state.sessions.get(sessionId)!;
  return { ...copySession(session), counts: countRows(state, sessionId) };
}

export function createMemorySessionRepository(
  access: MemoryStoreAccess,
): CategorizationSessionRepository {
  return {
    insert: (session) =>
      access.write((state) => {
        if (state.sessions.has(session.id)) {
          return err(
            conflictError(`A categorization session with id "${session.id}" already exists`, {
              adapter: 'memory',
              details: { id: session.id },
            }),
          );
        }
        state.sessions.set(session.id, copySession(session));
        return ok(withCounts(state, session.id));
      }),

    get: (scope, id) =>
      access.read((state) => {
        const session = state.sessions.get(id);
        return session !== undefined && ownedBy(scope, session)
          ? ok(withCounts(state, id))
          : err(sessionNotFound(id));
      }),

    listRecent: (scope, filter) =>
      access.read((state) => {
        const sessions = [...state.sessions.values()].filter(
          (session) => ownedBy(scope, session) && session.productId === filter.productId,
        );
        sessions.sort(
          (left, right) =>
            compareTimestamps(right.createdAt, left.createdAt) || compareText(left.id, right.id),
        );
        const limit = Math.max(0, filter.limit ?? DEFAULT_RECENT_LIMIT);
        return ok(sessions.slice(0, limit).map((session) => withCounts(state, session.id)));
      }),
  };
}

export function createMemoryCategorizationRepository(
  access: MemoryStoreAccess,
): CategorizationRepository {
  return {
    insert: (row) =>
      access.write((state) => {
        const session = state.sessions.get(row.sessionId);
        if (session === undefined || session.orgId !== row.orgId)
          return err(sessionNotFound(row.sessionId));
        if (state.categorizations.has(row.id)) {
          return err(
            conflictError(`A categorization with id "${row.id}" already exists`, {
              adapter: 'memory',
              details: { id: row.id },
            }),
          );
        }
        const stored = copyCategorization(row);
        state.categorizations.set(stored.id, stored);
        return ok(copyCategorization(stored));
      }),

    // Every row is checked before any is stored: the list lands whole or not at all.
    insertMany: (rows) =>
      access.write((state) => {
        const ids = new Set<string>();
        for (const row of rows) {
          const session = state.sessions.get(row.sessionId);
          if (session === undefined || session.orgId !== row.orgId)
            return err(sessionNotFound(row.sessionId));
          if (state.categorizations.has(row.id) || ids.has(row.id)) {
            return err(
              conflictError(`A categorization with id "${row.id}" already exists`, {
                adapter: 'memory',
                details: { id: row.id },
              }),
            );
          }
          ids.add(row.id);
        }
        for (const row of rows) {
          const stored = copyCategorization(row);
          state.categorizations.set(stored.id, stored);
        }
        return ok(rows.length);
      }),

    get: (scope, id) =>
      access.read((state) => {
        const row = state.categorizations.get(id);
        return row !== undefined && ownedBy(scope, row)
          ? ok(copyCategorization(row))
          : err(rowNotFound(id));
      }),

    // An unknown session, or another org's, simply has no rows to list.
    listBySession: (scope, sessionId, page) =>
      access.read((state) => {
        const rows = [...state.categorizations.values()].filter(
          (row) => ownedBy(scope, row) && row.sessionId === sessionId,
        );
        rows.sort(
          (left, right) =>
            // Map iteration is insertion order and sort is stable: ties keep insertion order, as SQL's seq does.
            compareTimestamps(left.createdAt, right.createdAt) ||
            compareText(left.filename, right.filename),
        );
        return pageOf(rows, page, 'categorizations.listBySession').map((found) =>
          found.map(copyCategorization),
        );
      }),

    tallyBySession: (scope, sessionIds) =>
      access.read((state) => {
        const wanted = new Set(sessionIds);
        const groups = new Map<string, CategorizationTally>();
        for (const row of state.categorizations.values()) {
          if (!ownedBy(scope, row) || !wanted.has(row.sessionId)) continue;
          const key = JSON.stringify([row.sessionId, row.status, row.bucketName, row.isUploaded]);
          const group = groups.get(key);
          groups.set(key, {
            sessionId: row.sessionId,
            status: row.status,
            bucketName: row.bucketName,
            isUploaded: row.isUploaded,
            count: (group?.count ?? 0) + 1,
          });
        }
        return ok([...groups.values()]);
      }),

    update: (scope, id, patch) =>
      access.write((state) => {
        const current = state.categorizations.get(id);
        if (current === undefined || !ownedBy(scope, current)) return err(rowNotFound(id));
        const next = copyCategorization(applyPatch(current, patch, PATCHABLE));
        state.categorizations.set(id, next);
        return ok(copyCategorization(next));
      }),

    // Counts every matched row of the org once, already-set ones included: each is written
    // (its updatedAt changes), as `UPDATE … WHERE id IN (…)` reports it.
    setUploaded: (scope, ids, uploaded, updatedAt) =>
      access.write((state) => {
        let changed = 0;
        for (const id of new Set(ids)) {
          const current = state.categorizations.get(id);
          if (current === undefined || !ownedBy(scope, current)) continue;
          state.categorizations.set(id, { ...current, isUploaded: uploaded, updatedAt });
          changed += 1;
        }
        return ok(changed);
      }),

    listUploaded: (scope, filter, page) =>
      access.read((state) => {
        const rows = [...state.categorizations.values()].filter(
          (row) =>
            visibleToList(scope, row) && row.productId === filter.productId && row.isUploaded,
        );
        rows.sort(
          (left, right) =>
            compareNullableText(left.bucketName, right.bucketName) ||
            compareText(left.filename, right.filename),
        );
        return pageOf(rows, page, 'categorizations.listUploaded').map((found) =>
          found.map(copyCategorization),
        );
      }),

    // Each write runs alone on the state, so the check and the set below are one compare-and-set.
    claimRow: (scope, input) =>
      access.write((state) => {
        const lease = planRowLease(input);
        if (lease.isErr()) return err(lease.error);
        const current = state.categorizations.get(input.id);
        if (current === undefined || !ownedBy(scope, current)) return err(rowNotFound(input.id));
        const row = copyCategorization(current);
        if (current.status !== 'pending') {
          return ok({ claimed: false as const, row, reason: 'not-pending' as const, heldBy: null });
        }
        const held = state.categorizationLeases.get(input.id);
        if (held !== undefined && isRowHeldByOther(held, input.owner, lease.value.now)) {
          return ok({ claimed: false as const, row, reason: 'held' as const, heldBy: held.owner });
        }
        state.categorizationLeases.set(input.id, {
          owner: lease.value.owner,
          expiresAt: lease.value.expiresAt,
        });
        return ok({ claimed: true as const, row });
      }),

    renewRowClaim: (scope, input) =>
      access.write((state) => {
        const lease = planRowLease(input);
        if (lease.isErr()) return err(lease.error);
        const current = state.categorizations.get(input.id);
        if (current === undefined || !ownedBy(scope, current)) return err(rowNotFound(input.id));
        const held = state.categorizationLeases.get(input.id);
        if (held?.owner !== input.owner) {
          return err(rowLeaseLost(input.id, input.owner, held?.owner ?? null));
        }
        state.categorizationLeases.set(input.id, {
          owner: lease.value.owner,
          expiresAt: lease.value.expiresAt,
        });
        return ok(undefined);
      }),

    updateClaimed: (scope, id, owner, patch) =>
      access.write((state) => {
        const current = state.categorizations.get(id);
        if (current === undefined || !ownedBy(scope, current)) return err(rowNotFound(id));
        const held = state.categorizationLeases.get(id);
        if (held?.owner !== owner) return err(rowLeaseLost(id, owner, held?.owner ?? null));
        const next = copyCategorization(applyPatch(current, patch, PATCHABLE));
        state.categorizations.set(id, next);
        // A row that leaves `pending` is finished: its claim ends with it.
        if (patch.status !== undefined && patch.status !== 'pending') {
          state.categorizationLeases.delete(id);
        }
        return ok(copyCategorization(next));
      }),
  };
}
