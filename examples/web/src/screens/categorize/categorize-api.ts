// Types only (erased from the bundle): the dashboard speaks the SDK's own shapes.
import type {
  Bucket,
  Categorization,
  CategorizationCounts,
  CategorizationSession,
  CategorizeProgressEvent,
  CategorizeStage,
} from '@vbuckets/core';
import { API_BASE, type ApiClient, ApiError, errorOf, networkError, segment } from '../../api';
import { saveBlob } from '../../downloads';
import { readSse } from './sse';

export type {
  Bucket,
  Categorization,
  CategorizationCounts,
  CategorizationSession,
  CategorizeStage,
};

/** `GET /sessions/{id}` and each entry of `GET /products/{id}/sessions`. */
export interface SessionSummary {
  session: CategorizationSession;
  countsByStatus: CategorizationCounts;
  countsByBucket: { bucketName: string; count: number }[];
  uploadedCount: number;
}

/** What the categorize route answers: the session and its rows (pending when queued). */
export interface CategorizeStart {
  session: CategorizationSession;
  rows: Categorization[];
}

/** A `stage` event of the session's stream: a hint, or a row's final state (with its bucket). */
export type StageEvent = Omit<CategorizeProgressEvent, 'sessionId' | 'result'> &
  Partial<Pick<Categorization, 'status' | 'bucketName' | 'confidence' | 'errorMessage'>>;

/** The most sessions the host lists at once; the page pages through them. */
export const SESSION_LIST_LIMIT = 100;

/** The host's categorize and session routes; `token` for the upload, sent with XMLHttpRequest for its progress. */
export function categorizeApi(api: ApiClient, token: () => string) {
  return {
    buckets: (productId: string) => api.get<Bucket[]>('/buckets', { query: { productId } }),
    sessions: (productId: string) =>
      api.get<SessionSummary[]>(`/products/${segment(productId)}/sessions`, {
        query: { limit: SESSION_LIST_LIMIT },
      }),
    summary: (sessionId: string) => api.get<SessionSummary>(`/sessions/${segment(sessionId)}`),
    results: (sessionId: string) =>
      api.get<Categorization[]>(`/sessions/${segment(sessionId)}/results`),
    retry: (sessionId: string) =>
      api.post<CategorizeStart>(`/sessions/${segment(sessionId)}/retry`, {}),
    markUploaded: (ids: string[], uploaded: boolean) =>
      api.post<{ updated: number }>('/categorizations/uploaded', { ids, uploaded }),

    /**
     * Sends the videos and their transcripts as one multipart body (XMLHttpRequest, for the
     * upload's progress); `onProgress` gets the fraction sent.
     */
    upload(
      productId: string,
      files: { videos: File[]; transcripts: File[] },
      onProgress: (fraction: number) => void,
    ): Promise<CategorizeStart> {
      const form = new FormData();
      for (const video of files.videos) form.append('videos', video, video.name);
      for (const transcript of files.transcripts) {
        form.append('transcripts', transcript, transcript.name);
      }
      return new Promise((resolve, reject) => {
        const request = new XMLHttpRequest();
        request.open('POST', `${API_BASE}/products/${segment(productId)}/categorize`);
        request.setRequestHeader('authorization', `Bearer ${token()}`);
        request.setRequestHeader('accept', 'application/json');
        request.upload.onprogress = (event) => {
          if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
        };
        request.onerror = () => reject(networkError());
        request.onload = () => {
          const response = new Response(request.status === 204 ? null : request.responseText, {
            status: request.status,
            statusText: request.statusText,
          });
          if (response.ok) {
            resolve(response.json() as Promise<CategorizeStart>);
          } else {
            void errorOf(response).then(reject);
          }
        };
        request.send(form);
      });
    },

    /**
     * Follows the session's events until its summary: reconnects with `Last-Event-ID` when the
     * stream breaks (a few times), and stops on `signal`. Resolves once the session is finished.
     */
    async follow(
      sessionId: string,
      onStage: (event: StageEvent) => void,
      signal: AbortSignal,
    ): Promise<void> {
      let lastId: string | undefined;
      let failures = 0;
      for (;;) {
        let finished = false;
        try {
          const response = await api.send('GET', `/sessions/${segment(sessionId)}/events`, {
            headers: {
              accept: 'text/event-stream',
              ...(lastId === undefined ? {} : { 'last-event-id': lastId }),
            },
            signal,
          });
          // 204: the session was summarised already.
          if (response.status === 204) return;
          await readSse(response, (event) => {
            if (event.id !== undefined) lastId = event.id;
            if (event.event === 'stage') onStage(JSON.parse(event.data) as StageEvent);
            else if (event.event === 'summary') finished = true;
            else if (event.event === 'error') {
              const { detail } = JSON.parse(event.data) as { detail: string };
              throw new ApiError({ status: 500, code: 'STREAM', detail });
            }
          });
        } catch (thrown) {
          if (signal.aborted || (thrown instanceof ApiError && thrown.status !== 0)) throw thrown;
          failures += 1;
          if (failures > 5) throw thrown;
        }
        if (finished || signal.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, 500 * failures + 250));
      }
    },

    /** Fetches a download with the token and saves it through a Blob URL. */
    async download(path: string, fallbackName: string): Promise<string> {
      const response = await api.send('GET', path);
      const name = fileNameOf(response.headers.get('content-disposition')) ?? fallbackName;
      saveBlob(await response.blob(), name);
      return name;
    },
    csvPath: (sessionId: string) => `/sessions/${segment(sessionId)}/results.csv`,
    zipPath: (sessionId: string, bucketId: string) =>
      `/sessions/${segment(sessionId)}/buckets/${segment(bucketId)}/zip`,
  };
}

export type CategorizeApi = ReturnType<typeof categorizeApi>;

/** The file name of a `Content-Disposition` header (`filename*` first), if it names one. */
export function fileNameOf(header: string | null): string | undefined {
  if (header === null) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1] !== undefined) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // Fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() || undefined;
}

const VIDEO = /\.(mp4|m4v|mov|avi|webm|mkv)$/i;
const TRANSCRIPT = /\.(txt|srt|vtt)$/i;
// What may sit between a video's base name and the transcript's extension: a language tag
// (`clip.en.vtt`, `clip.pt-BR.srt`), as the host reads sidecars.
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;

const baseOf = (name: string) => name.replace(/\.[^.]*$/, '');

/** Whether `transcript` is a sidecar of `video` by name. */
export function isSidecarOf(transcript: string, video: string): boolean {
  const base = baseOf(video);
  if (!TRANSCRIPT.test(transcript) || !transcript.startsWith(`${base}.`)) return false;
  const middle = baseOf(transcript).slice(base.length + 1);
  return middle === '' || (baseOf(transcript).length > base.length && LANGUAGE_TAG.test(middle));
}

/** A chosen set of files: videos each with their transcripts, transcripts of no video, the rest. */
export interface Selection {
  videos: { file: File; transcripts: File[] }[];
  orphans: File[];
  ignored: File[];
}

/** Sorts dropped or picked files into videos with their sidecars; a later file of the same name replaces an earlier one. */
export function selectionOf(files: readonly File[]): Selection {
  const byName = new Map<string, File>();
  for (const file of files) byName.set(file.name, file);
  const all = [...byName.values()];
  const videos = all.filter((file) => VIDEO.test(file.name) || file.type.startsWith('video/'));
  const transcripts = all.filter((file) => !videos.includes(file) && TRANSCRIPT.test(file.name));
  const used = new Set<File>();
  const paired = videos.map((video) => {
    const own = transcripts.filter((transcript) => isSidecarOf(transcript.name, video.name));
    for (const transcript of own) used.add(transcript);
    return { file: video, transcripts: own };
  });
  return {
    videos: paired,
    orphans: transcripts.filter((transcript) => !used.has(transcript)),
    ignored: all.filter((file) => !videos.includes(file) && !transcripts.includes(file)),
  };
}
