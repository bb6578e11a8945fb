import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, focusedOf, pressUntilFocused, screenshot } from './browser';
import { useDashboard } from './dashboard-suite';

const storedToken = (page: Page) => page.evaluate(() => sessionStorage.getItem('vbuckets.token'));
const heading = (page: Page) => page.getByRole('heading', { level: 1 });

describe('signing in and out', () => {
  const dashboard = useDashboard();

  it('signs in with the development button, shows the org and role, and signs out', async () => {
    const { host } = dashboard;
    const page = await dashboard.page();
    await page.goto(`${host.url}/`);
    await heading(page).filter({ hasText: 'Sign in' }).waitFor();
    const button = page.getByRole('button', { name: 'Make me a token' });
    await button.waitFor();
    await expectAccessible(page, 'the sign-in screen');

    await button.click();
    await heading(page).filter({ hasText: 'Buckets' }).waitFor();
    expect(await page.getByTestId('org').textContent()).toBe('local');
    expect(await page.getByTestId('roles').textContent()).toBe('admin');
    expect(await page.getByRole('status').textContent()).toBe(
      'Signed in as dev, admin of org local.',
    );
    expect(page.url()).toMatch(/#\/buckets$/);
    // The token the button got is the host's: it answers /me as the admin of org local.
    const token = await storedToken(page);
    const me = await fetch(`${host.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await me.json()).toEqual({ userId: 'dev', orgId: 'local', roles: ['admin'] });
    await expectAccessible(page, 'the buckets screen without a product');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading(page).filter({ hasText: 'Sign in' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('You are signed out.');
    expect(await storedToken(page)).toBeNull();
    expect(await page.getByTestId('org').count()).toBe(0);
    await page.reload();
    await page.getByRole('button', { name: 'Make me a token' }).waitFor();
    await screenshot(page, 'sign-in-signed-out');
  });

  it('shows the host’s own explanation when it refuses a pasted token', async () => {
    const { host } = dashboard;
    const page = await dashboard.page();
    const forged = `${host.token.slice(0, host.token.lastIndexOf('.'))}.AAAA`;
    for (const token of ['not-a-jwt', forged]) {
      const refused = await fetch(`${host.url}/api/v1/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const { detail } = (await refused.json()) as { detail: string };
      expect(detail.length).toBeGreaterThan(10);

      await page.goto(`${host.url}/`);
      await page.getByLabel('Token', { exact: true }).fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert').filter({ hasText: detail });
      await alert.waitFor();
      expect(await alert.textContent()).toContain('HTTP 401 · UNAUTHENTICATED');
      expect(await page.getByLabel('Token', { exact: true }).getAttribute('aria-invalid')).toBe(
        'true',
      );
      expect(await storedToken(page)).toBeNull();
    }
    await expectAccessible(page, 'the sign-in screen with an error');
    await screenshot(page, 'sign-in-bad-token');
  });

  it('signs in with a pasted token (Bearer prefix and all), keeps it over a reload, shows the account', async () => {
    const { host } = dashboard;
    const page = await dashboard.page();
    await page.goto(`${host.url}/#/account`);
    await page.getByLabel('Token', { exact: true }).fill(`  Bearer ${host.token}\n`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page).filter({ hasText: 'Account' }).waitFor();
    await page.reload();
    await heading(page).filter({ hasText: 'Account' }).waitFor();
    const details = page.locator('dl.details');
    expect(await details.textContent()).toMatch(/UserdevOrganisationlocalRolesadminToken expires/);
    expect(await storedToken(page)).toBe(host.token);
    await expectAccessible(page, 'the account screen');
    await screenshot(page, 'sign-in-account');
  });

  it('reaches the buckets screen from the keyboard alone, with focus shown', async () => {
    const { host } = dashboard;
    const page = await dashboard.page();
    await page.goto(`${host.url}/#/account`);
    await page.getByRole('button', { name: 'Make me a token' }).waitFor();
    await pressUntilFocused(page, 'Tab', /^button Make me a token$/);
    await page.keyboard.press('Enter');
    await heading(page).filter({ hasText: 'Account' }).waitFor();

    // Signing in put focus on the screen's heading; back from there through the navigation.
    expect(await focusedOf(page)).toBe('h1 Account');
    await pressUntilFocused(page, 'Shift+Tab', /^a Buckets$/);
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return { style: style.outlineStyle, width: style.outlineWidth };
    });
    expect(outline.style).not.toBe('none');
    expect(outline.width).not.toBe('0px');
    await page.keyboard.press('Enter');
    await heading(page).filter({ hasText: 'Buckets' }).waitFor();
    expect(page.url()).toMatch(/#\/buckets$/);
    // Focus moved to the new screen's heading, where a screen reader starts reading.
    expect(await focusedOf(page)).toBe('h1 Buckets');
    expect(
      await page.getByRole('link', { name: 'Buckets', exact: true }).getAttribute('aria-current'),
    ).toBe('page');
    await screenshot(page, 'sign-in-keyboard');
  });
});
