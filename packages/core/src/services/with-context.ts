import { errAsync, type Result, ResultAsync } from 'neverthrow';
import type { VBucketsError } from '../errors';

/** An async function returning a Result, as a ResultAsync. */
export const fromAsync = <T>(work: () => Promise<Result<T, VBucketsError>>) =>
  new ResultAsync(work());

/**
 * Runs each call with the service's context, or answers its settings error: a service built
 * from bad settings reports them from every call rather than throwing from its constructor.
 */
export function contextRunner<Context>(built: Result<Context, VBucketsError>) {
  return <T>(
    use: (context: Context) => ResultAsync<T, VBucketsError>,
  ): ResultAsync<T, VBucketsError> => (built.isErr() ? errAsync(built.error) : use(built.value));
}
