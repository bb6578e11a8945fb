import { useCallback, useEffect, useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { KeysetPaginator, useKeysetPages } from '../../components/keyset-paginator';
import { useStatus } from '../../components/status';
import { useLoader } from '../../components/use-loader';
import { isAdmin } from '../../session';
import type { ScreenProps } from '../screen';
import { PostForm } from './post-form';
import { RegisterForm } from './register-form';
import { RetryDue } from './retry-due';
import { UploadHistory } from './upload-history';
import { STATUS_LOOKS } from './upload-status';
import { VideoTable } from './video-table';
import {
  nameOf,
  type Page,
  type RegisterFields,
  type Upload,
  type UploadHistoryEntry,
  type VideoRow,
  videosApi,
} from './videos-api';

const PAGE_SIZE = 10;

interface History {
  video: VideoRow;
  /** Counts the times it was opened: each opening remounts it, and its heading takes focus. */
  opened: number;
  entries: UploadHistoryEntry[] | undefined;
  error: unknown;
}

/** The video registry and its uploads (seed 001): register, post, retry, the attempt history. */
export function VideosScreen({ api, session }: ScreenProps) {
  const videos = useMemo(() => videosApi(api), [api]);
  const status = useStatus();
  const pages = useKeysetPages();
  const [list, setList] = useState<Page<VideoRow>>();
  const loader = useLoader();
  const loadError = loader.error;
  const [platforms, setPlatforms] = useState<string[]>();
  const [platformsError, setPlatformsError] = useState<unknown>();
  const [posting, setPosting] = useState<VideoRow>();
  const [history, setHistory] = useState<History>();

  const reload = useCallback(
    () => loader.run(() => videos.list(PAGE_SIZE, pages.after), setList),
    [loader.run, videos, pages.after],
  );

  useEffect(() => {
    void reload();
  }, [reload]);

  useEffect(() => {
    videos.platforms().then(setPlatforms, setPlatformsError);
  }, [videos]);

  const showHistory = useCallback(
    async (video: VideoRow, focus = true) => {
      setHistory((before) => ({
        video,
        opened: (before?.opened ?? 0) + (focus ? 1 : 0),
        entries: before?.video.id === video.id ? before.entries : undefined,
        error: undefined,
      }));
      try {
        const entries = await videos.history(video.id);
        setHistory((before) =>
          before?.video.id === video.id ? { ...before, entries, error: undefined } : before,
        );
      } catch (thrown) {
        setHistory((before) =>
          before?.video.id === video.id ? { ...before, entries: undefined, error: thrown } : before,
        );
      }
    },
    [videos],
  );

  async function register(fields: RegisterFields) {
    status.clear();
    const registered = await videos.register(fields);
    const name = nameOf(registered.video);
    status.say(
      registered.created
        ? `Registered “${name}”.`
        : `“${name}” has the same content: it was already registered${registered.repaired ? ', and its stored copy is repaired' : ''}.`,
    );
    // The newest come first: the new video is on the first page.
    if (pages.page === 1) await reload();
    else pages.first();
    return registered;
  }

  async function post(video: VideoRow, platform: string, force: boolean) {
    status.clear();
    let upload: Upload;
    try {
      upload = await videos.post(video.id, platform, force);
    } catch (thrown) {
      // A refused post may still have changed the row (failed, rate limited): show it.
      await reload();
      throw thrown;
    }
    status.say(
      upload.status === 'SUCCESS'
        ? `Posted “${nameOf(video)}” to ${platform}.`
        : `“${nameOf(video)}” on ${platform}: ${STATUS_LOOKS[upload.status].label.toLowerCase()}.`,
    );
    setPosting(undefined);
    await reload();
    await showHistory({ ...video, uploads: { ...video.uploads, [platform]: upload.status } });
    return upload;
  }

  async function retryDue() {
    status.clear();
    const retried = await videos.retryDue();
    await reload();
    if (history !== undefined) await showHistory(history.video, false);
    return retried;
  }

  /** The host's platforms, and any other a video of the page was posted to before. */
  const columns = useMemo(() => {
    const names = new Set(platforms ?? []);
    for (const video of list?.items ?? [])
      for (const name of Object.keys(video.uploads)) names.add(name);
    return [...names].sort();
  }, [platforms, list]);

  return (
    <>
      <RegisterForm onRegister={register} />
      <section className="panel" aria-labelledby="videos-heading">
        <div className="panel__head">
          <h2 id="videos-heading">Registered videos</h2>
          {platforms !== undefined && (
            <p className="hint videos__platforms">
              Platforms of this host: {platforms.length === 0 ? 'none' : platforms.join(', ')}
            </p>
          )}
        </div>
        <ErrorMessage error={loadError} title="The videos could not be read" />
        <ErrorMessage error={platformsError} title="The host's platforms could not be read" />
        {list === undefined && loadError === undefined && <p className="hint">Loading…</p>}
        {list !== undefined && list.items.length === 0 && pages.page === 1 && (
          <p className="empty">No video is registered yet. Register one above.</p>
        )}
        {list !== undefined && list.items.length > 0 && (
          <VideoTable
            videos={list.items}
            platforms={columns}
            selected={history?.video.id}
            onPost={(video) => setPosting(video)}
            onHistory={(video) =>
              history?.video.id === video.id ? setHistory(undefined) : void showHistory(video)
            }
          />
        )}
        <KeysetPaginator
          page={pages.page}
          hasMore={list?.hasMore ?? false}
          onPrevious={pages.previous}
          onNext={() => {
            const last = list?.items.at(-1);
            if (last !== undefined) pages.next(last.id);
          }}
          label="Video pages"
        />
      </section>
      {posting !== undefined && (
        <PostForm
          key={posting.id}
          video={posting}
          platforms={platforms}
          onPost={(platform, force) => post(posting, platform, force)}
          onClose={() => setPosting(undefined)}
        />
      )}
      {history !== undefined && (
        <UploadHistory
          key={`${history.video.id}:${history.opened}`}
          video={history.video}
          entries={history.entries}
          error={history.error}
          onClose={() => setHistory(undefined)}
        />
      )}
      <RetryDue
        admin={isAdmin(session)}
        onRetry={retryDue}
        nameOf={(videoId) => {
          const shown = list?.items.find((video) => video.id === videoId);
          return shown === undefined ? undefined : nameOf(shown);
        }}
      />
    </>
  );
}
