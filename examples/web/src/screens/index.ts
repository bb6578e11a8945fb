import { AccountScreen } from './account-screen';
import { BucketsScreen } from './buckets/buckets-screen';
import type { Screen } from './screen';
import { TasksScreen } from './tasks/tasks-screen';

export type { Screen, ScreenProps } from './screen';

/** The screens of the navigation, in its order; the first is where a sign-in lands. */
export const screens: readonly Screen[] = [
  { path: '/buckets', title: 'Buckets', component: BucketsScreen },
  { path: '/tasks', title: 'Tasks and thumbnails', component: TasksScreen },
  { path: '/account', title: 'Account', component: AccountScreen },
];
