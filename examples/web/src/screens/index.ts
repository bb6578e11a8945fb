import { AccountScreen } from './account-screen';
import { BucketsScreen } from './buckets/buckets-screen';
import { CategorizeScreen } from './categorize/categorize-screen';
import { MarketScreen } from './market/market-screen';
import type { Screen } from './screen';
import { SegmentsScreen } from './segments/segments-screen';
import { TasksScreen } from './tasks/tasks-screen';
import { VideosScreen } from './videos/videos-screen';

export type { Screen, ScreenProps } from './screen';

/** The screens of the navigation, in its order; the first is where a sign-in lands. */
export const screens: readonly Screen[] = [
  { path: '/buckets', title: 'Buckets', component: BucketsScreen },
  { path: '/categorize', title: 'Categorize', component: CategorizeScreen },
  { path: '/videos', title: 'Videos', component: VideosScreen },
  { path: '/market', title: 'Market', component: MarketScreen },
  { path: '/tasks', title: 'Tasks and thumbnails', component: TasksScreen },
  { path: '/segments', title: 'Segments', component: SegmentsScreen },
  { path: '/account', title: 'Account', component: AccountScreen },
];
