import { buildServerIfStale } from '../../express/test/server-process';

/** One build for every test file: two files building the same dist at once would race. */
export default function setup(): void {
  buildServerIfStale();
}
