import { AccountScreen } from './account-screen';
import { BucketsScreen } from './buckets/buckets-screen';
import type { Screen } from './screen';
import { SegmentsScreen } from './segments/segments-screen';

export type { Screen, ScreenProps } from './screen';

/** The screens of the navigation, in its order; the first is where a sign-in lands. */
export const screens: readonly Screen[] = [
  { path: '/buckets', title: 'Buckets', component: BucketsScreen },
  { path: '/segments', title: 'Segments', component: SegmentsScreen },
  { path: '/account', title: 'Account', component: AccountScreen },
];
