import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AxeResults } from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium (`.ci/run` installs it when it is missing). */
export const CHROMIUM = process.env.VBUCKETS_CHROMIUM ?? '/usr/bin/chromium';

/** How long a page may take to show what a step waits for, on a busy machine. */
export const PATIENCE_MS = 60_000;

const screenshots = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set VBUCKETS_CHROMIUM`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: PATIENCE_MS,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--metrics-recording-only',
      '--no-first-run',
    ],
  });
}

/** A page in a fresh context (its own sessionStorage), and the errors its scripts throw. */
export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught script errors so far: a test fails on them even when the screen looks right. */
  scriptErrors: string[];
}

/** The page policy (CSP) is bypassed only so that axe can be injected. */
export async function openPage(browser: Browser): Promise<TestPage> {
  const context = await browser.newContext({
    bypassCSP: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(PATIENCE_MS);
  const page = await context.newPage();
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  return { context, page, scriptErrors };
}

/** The final state of a test, for people to look at: `test-results/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true });
}

type Violation = AxeResults['violations'][number];

function readable(violations: Violation[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.map(
        (node) =>
          `  at ${node.target.join(' ')}\n    ${(node.failureSummary ?? '').replaceAll('\n', '\n    ')}`,
      );
      return `${violation.impact} ${violation.id}: ${violation.help} (${violation.helpUrl})\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/** Runs axe on the page as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ content: axeSource });
  }
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: typeof import('axe-core') };
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations;
  });
  const serious = violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(serious, `axe on ${screen}:\n${readable(serious)}`).toEqual([]);
}

/** What has focus: its tag and text, white space folded (`a Buckets`, `button Delete Gut health`). */
export const focusedOf = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    const text = (element?.textContent ?? '').replaceAll(/\s+/g, ' ');
    return element === null ? '' : `${element.tagName.toLowerCase()} ${text}`.trim();
  });

/**
 * Presses `key` until the focused element's tag and text match, as a keyboard user would;
 * fails after `most` presses, saying where focus went.
 */
export async function pressUntilFocused(
  page: Page,
  key: 'Tab' | 'Shift+Tab',
  target: RegExp,
  most = 40,
): Promise<void> {
  const seen: string[] = [];
  for (let press = 0; press < most; press += 1) {
    await page.keyboard.press(key);
    const focused = await focusedOf(page);
    seen.push(focused);
    if (target.test(focused)) return;
  }
  throw new Error(
    `${most} presses of ${key} never focused ${target}; focus went ${seen.join(' → ')}`,
  );
}
