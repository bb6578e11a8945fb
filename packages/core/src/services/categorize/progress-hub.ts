import type { CategorizeProgressEvent, CategorizeProgressListener } from './categorize-types';

/**
 * The progress of the sessions this service instance is working on, for watchers that did not
 * start the work (a live view of a batch a queue job runs). Listeners are kept per org and
 * session, so a watcher never hears another org's session. Only this process's work is
 * heard: a worker in another process reports through the store alone.
 */
export interface ProgressHub {
  /** Adds a listener of one session; the returned function removes it (calling it twice is harmless). */
  subscribe(orgId: string, sessionId: string, listener: CategorizeProgressListener): () => void;
  /** Tells the session's listeners; a listener that throws is skipped. */
  publish(orgId: string, event: CategorizeProgressEvent): void;
  /** Whether anyone listens to the session (so a batch without watchers does no work for them). */
  has(orgId: string, sessionId: string): boolean;
}

export function createProgressHub(): ProgressHub {
  const listeners = new Map<string, Set<CategorizeProgressListener>>();
  // JSON of the pair: no org id or session id can make two keys collide.
  const keyOf = (orgId: string, sessionId: string) => JSON.stringify([orgId, sessionId]);
  return {
    subscribe(orgId, sessionId, listener) {
      const key = keyOf(orgId, sessionId);
      const set = listeners.get(key) ?? new Set();
      // A wrapper per subscription, so the same function subscribed twice is two listeners.
      const entry: CategorizeProgressListener = (event) => listener(event);
      set.add(entry);
      listeners.set(key, set);
      return () => {
        set.delete(entry);
        if (set.size === 0 && listeners.get(key) === set) listeners.delete(key);
      };
    },
    publish(orgId, event) {
      const set = listeners.get(keyOf(orgId, event.sessionId));
      if (set === undefined) return;
      for (const listener of [...set]) {
        try {
          listener(event);
        } catch {
          // A failing watcher must not stop the batch or the other watchers.
        }
      }
    },
    has: (orgId, sessionId) => listeners.has(keyOf(orgId, sessionId)),
  };
}
