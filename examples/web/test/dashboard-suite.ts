import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium, openPage, type TestPage } from './browser';
import { type DashboardHost, startDashboardHost } from './dashboard-host';

/** What a test of the dashboard works with. */
export interface DashboardSuite {
  /** The file's server (started once for the file). */
  readonly host: DashboardHost;
  /** A page in a fresh browser context (its own sessionStorage), closed after the test. */
  page(): Promise<Page>;
}

/**
 * One built host and one Chromium for a test file, a fresh context per test; a test whose
 * page threw an uncaught script error fails, even when the screen looked right. `env` (called
 * before the host starts: it may start what the settings point at) adds settings to the host's.
 */
export function useDashboard(
  options: { env?: () => Record<string, string> | Promise<Record<string, string>> } = {},
): DashboardSuite {
  let host: DashboardHost | undefined;
  let browser: Browser | undefined;
  let opened: TestPage | undefined;
  beforeAll(async () => {
    [host, browser] = await Promise.all([
      options.env === undefined
        ? startDashboardHost()
        : Promise.resolve(options.env()).then(startDashboardHost),
      launchChromium(),
    ]);
  });
  afterEach(async () => {
    const closing = opened;
    opened = undefined;
    if (closing === undefined) return;
    await closing.context.close();
    expect(closing.scriptErrors).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });
  return {
    get host() {
      if (host === undefined) throw new Error('the dashboard host has not started');
      return host;
    },
    async page() {
      if (browser === undefined) throw new Error('Chromium has not started');
      opened = await openPage(browser);
      return opened.page;
    },
  };
}
