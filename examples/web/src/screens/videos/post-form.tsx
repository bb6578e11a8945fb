import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { nameOf, type Upload, type VideoRow } from './videos-api';

interface PostFormProps {
  video: VideoRow;
  /** The host's platforms; undefined while they are read. */
  platforms: readonly string[] | undefined;
  onPost: (platform: string, force: boolean) => Promise<Upload>;
  onClose: () => void;
}

/** Posts one video to one of the host's platforms, now. */
export function PostForm({ video, platforms, onPost, onClose }: PostFormProps) {
  const formId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [platform, setPlatform] = useState('');
  const [force, setForce] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    heading.current?.focus();
  }, []);
  // The first platform not yet posted to, once the list is known.
  useEffect(() => {
    if (platform !== '' || platforms === undefined || platforms.length === 0) return;
    setPlatform(platforms.find((each) => video.uploads[each] !== 'SUCCESS') ?? platforms[0] ?? '');
  }, [platform, platforms, video]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (platform === '') return;
    setBusy(true);
    setError(undefined);
    try {
      await onPost(platform, force);
    } catch (thrown) {
      setError(thrown);
      setBusy(false);
    }
  }

  return (
    <form className="panel form" onSubmit={submit} aria-labelledby={`${formId}-heading`}>
      <h2 id={`${formId}-heading`} ref={heading} tabIndex={-1}>
        Post “{nameOf(video)}”
      </h2>
      {platforms !== undefined && platforms.length === 0 ? (
        <p className="empty">This host has no platform to post to.</p>
      ) : (
        <>
          <div className="inline-form">
            <div className="field">
              <label htmlFor={`${formId}-platform`}>Platform</label>
              <select
                id={`${formId}-platform`}
                value={platform}
                disabled={platforms === undefined}
                onChange={(event) => setPlatform(event.target.value)}
              >
                {platforms === undefined && <option value="">Loading…</option>}
                {platforms?.map((each) => (
                  <option key={each} value={each}>
                    {each}
                    {video.uploads[each] === 'SUCCESS' ? ' (posted)' : ''}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="checkbox">
            <input
              id={`${formId}-force`}
              type="checkbox"
              checked={force}
              aria-describedby={`${formId}-force-hint`}
              onChange={(event) => setForce(event.target.checked)}
            />
            <label htmlFor={`${formId}-force`}>Post even if already posted or not yet due</label>
          </div>
          <p className="hint" id={`${formId}-force-hint`}>
            Overrides the duplicate guard, a final failure and the retry backoff.
          </p>
        </>
      )}
      <ErrorMessage error={error} title="The video was not posted" />
      <div className="actions">
        <button type="submit" className="button" disabled={busy || platform === ''}>
          {busy ? 'Posting…' : 'Post now'}
        </button>
        <button type="button" className="button button--secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
