import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { loadIssuer } from '../../infra/local/issuer.js';
import { apiUrl, call, tokenFor } from '../support/api.js';
import { launchChromium, openPortal, seriousAccessibilityViolations, signIn } from './browser.js';
import { seedGuest } from './seed-guest.js';

/**
 * The guest's portal in a real headless Chromium against the platform the suite started (issue 14): sign in
 * through the local issuer's OpenID Connect pages, read everything, revoke, end a relation, export, erase —
 * the page alone, through the public API.
 */
let browser: Browser;
const demo = () => JSON.parse(readFileSync(process.env.MYDATA_DEMO_FILE!, 'utf8')) as { tenant: string; rootPartnerId: string };

async function seeded(givenName = 'Anna', familyName = 'Berger') {
  const sub = `portal-${randomBytes(4).toString('hex')}`;
  const { tenant, rootPartnerId } = demo();
  const seededGuest = await seedGuest({ apiUrl: apiUrl(), issuer: await loadIssuer(process.env.MYDATA_ISSUER_KEY_FILE), tenant, partnerId: rootPartnerId, sub, givenName, familyName });
  return { ...seededGuest, givenName, familyName, tenant, partnerId: rootPartnerId };
}

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});


test('a guest signs in and sees everything stored, decrypted, with its governance', async () => {
  const guest = await seeded();
  const { page, context, origins, violations } = await openPortal(browser, apiUrl());
  await signIn(page, guest);
  const data = page.locator('#data');
  for (const name of ['wishlist', 'reading-list', 'order-1001', 'comic-con-2026', guest.importedCopy]) {
    await expect(data.locator('td', { hasText: new RegExp(`^${name}$`) }).count()).resolves.toBe(1);
  }
  await expect(data.locator('[data-item="PartnerData/wishlist"]').textContent()).resolves.toMatch(/you share it with a link[\s\S]*Asterix 41/);
  await expect(data.locator('[data-item="Ticket/comic-con-2026"]').textContent()).resolves.toContain(`partner ${guest.partnerId}, app ticket-app`);
  await expect(page.locator('#profile').textContent()).resolves.toContain(`${guest.sub}@example.org`);
  await expect(page.locator('[data-class="PartnerData"]').textContent()).resolves.toMatch(/granted[\s\S]*5 stored/);
  await expect(page.locator(`[data-partner="${guest.partnerId}"]`).textContent()).resolves.toMatch(/comics-shop-app[\s\S]*ticket-app/);
  await expect(page.locator(`[data-share="${guest.sharingIdentifier}"]`).textContent()).resolves.toContain('imported 1 time');
  await expect(page.locator('#shares').textContent()).resolves.toContain(guest.importedCopy);
  await expect(page.locator('#history').textContent()).resolves.toMatch(/All \d+ entries verified/);
  // Only the page's own origin, no CSP violation, no script error.
  expect([...origins]).toEqual([apiUrl()]);
  expect(violations).toEqual([]);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await context.close();
}, 90_000);

test('revoking a class first says how much is destroyed for good, then the data is unreadable', async () => {
  const guest = await seeded();
  const { page, context } = await openPortal(browser, apiUrl());
  await signIn(page, guest);
  // Consent classes are platform-wide; other suites may retitle PartnerData, so the title comes from the page.
  const title = await page.locator('#class-PartnerData').textContent();
  await page.locator('[data-class="PartnerData"] header button', { hasText: 'Revoke all' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.textContent()).resolves.toContain(`5 stored items of "${title}" will be destroyed for good`);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Revoke and destroy' }).click();
  await page.waitForSelector('[data-class="PartnerData"] .tag.off');
  for (const item of ['PartnerData/wishlist', 'Order/order-1001', 'Ticket/comic-con-2026']) {
    await expect(page.locator(`[data-item="${item}"]`).textContent()).resolves.toMatch(/unreadable \(ConsentRevoked\)/);
  }
  // The API agrees: the partner's app can no longer read it.
  const token = await tokenFor({ principal: 'guest', tenant: guest.tenant, sub: guest.sub, partner: guest.partnerId, client: 'comics-shop-app', scope: 'profile_data_read' });
  expect((await call('GET', '/profile/v1/partnerdata/wishlist', { token })).status).toBe(410);
  // The partner that created the objects is asked to delete its copies (docs/crm.md); the page shows the open purges.
  for (let attempt = 0; (await page.locator(`[data-purge]`).count()) === 0; attempt += 1) {
    if (attempt === 40) throw new Error('no purge shown within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await page.reload();
    await page.waitForSelector('#shares-title');
  }
  await expect(page.locator('[data-purge]').first().textContent()).resolves.toMatch(new RegExp(`Partner ${guest.partnerId} — asked .*you revoked a consent.*not confirmed yet`));
  await context.close();
}, 90_000);

test('the export downloads as one JSON file of every page; ending a relation shows at once', async () => {
  const guest = await seeded();
  const { page, context } = await openPortal(browser, apiUrl());
  await signIn(page, guest);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-export').click()]);
  const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(file.guest).toBe(guest.sub);
  expect(file.items.map((i: { name: string }) => i.name).sort()).toEqual(['comic-con-2026', guest.importedCopy, 'me', 'order-1001', 'reading-list', 'wishlist'].sort());
  expect(file.historyVerification.valid).toBe(true);
  expect(file.next).toBeUndefined();
  await expect(page.locator('#status').textContent()).resolves.toBe('Export downloaded: 6 items.');

  await page.getByRole('button', { name: `End relation: Partner ${guest.partnerId}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'End relation' }).click();
  await page.waitForSelector(`[data-partner="${guest.partnerId}"] .tag.off`);
  await expect(page.locator(`[data-partner="${guest.partnerId}"]`).textContent()).resolves.toContain('relation ended');
  await context.close();
}, 90_000);

test('erasing needs the typed word; afterwards nothing about the guest can be read', async () => {
  const guest = await seeded();
  const { page, context } = await openPortal(browser, apiUrl());
  await signIn(page, guest);
  await page.locator('#erase').click();
  const dialog = page.getByRole('dialog');
  const confirm = dialog.getByRole('button', { name: 'Erase for good' });
  await expect(confirm.isDisabled()).resolves.toBe(true);
  await dialog.getByLabel('Confirmation word').fill('erase');
  await expect(confirm.isDisabled()).resolves.toBe(true);
  await dialog.getByLabel('Confirmation word').fill('ERASE');
  await confirm.click();
  await page.waitForSelector('#erased');
  const token = await tokenFor({ principal: 'guest', tenant: guest.tenant, sub: guest.sub, scope: 'profile_data_read' });
  const answer = await call('GET', '/profile/v1/me', { token });
  expect(answer.status).toBe(404);
  await context.close();
}, 90_000);

test('keyboard only, in German: sign in, revoke one type with its warning, cancel with Escape, download', async () => {
  const guest = await seeded('Jürgen', 'Österreicher');
  const { page, context } = await openPortal(browser, apiUrl(), 'de-DE');
  await expect(page.locator('h1').textContent()).resolves.toBe('Ihre Daten bei mydata');
  const tabTo = async (matches: () => Promise<boolean>, limit = 200) => {
    for (let i = 0; i < limit; i += 1) {
      await page.keyboard.press('Tab');
      if (await matches()) return;
    }
    throw new Error('never reached by Tab');
  };
  // The page's document (the root tsconfig has no DOM types; this runs in the browser).
  type PageGlobals = { document: { activeElement: { matches(selector: string): boolean } | null } };
  const focused = (selector: string) => () => page.evaluate((s) => (globalThis as unknown as PageGlobals).document.activeElement?.matches(s) ?? false, selector);
  await tabTo(focused('#sign-in'));
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/oauth2\/authorize/);
  await tabTo(focused('#sub'));
  await page.keyboard.type(guest.sub);
  await page.keyboard.press('Tab');
  await page.keyboard.type(guest.givenName);
  await page.keyboard.press('Tab');
  await page.keyboard.type(guest.familyName);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#data-title');
  await expect(page.locator('#account').textContent()).resolves.toContain('Angemeldet als Jürgen Österreicher');

  await tabTo(focused('[data-schema="Order"] button'));
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog.textContent()).resolves.toContain('1 gespeichertes Objekt von „Order“ wird endgültig vernichtet');
  await page.keyboard.press('Escape');
  await expect(dialog.count()).resolves.toBe(0);
  await expect(page.locator('[data-item="Order/order-1001"]').textContent()).resolves.toContain('24.9');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog').count()).resolves.toBe(1);
  // Cancel has the focus; Tab reaches the confirm button.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-item="Order/order-1001"] .tag.off');

  await tabTo(focused('#download-export'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(JSON.parse(readFileSync((await download.path())!, 'utf8')).guest).toBe(guest.sub);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await context.close();
}, 90_000);

test('a guest without a consent reference creates one on the page, gets the tenant\'s defaults and can revoke and grant', async () => {
  const { page, context } = await openPortal(browser, apiUrl());
  await signIn(page, { sub: `portal-new-${randomBytes(4).toString('hex')}`, givenName: 'Nora', familyName: 'Neu' }, '#create-reference');
  await page.locator('#create-reference').click();
  await page.waitForSelector('#consents-title');
  await expect(page.locator('#data').textContent()).resolves.toContain('No data items are stored about you.');
  const partnerData = page.locator('[data-class="PartnerData"]');
  await expect(partnerData.locator('header .tag').first().textContent()).resolves.toBe('granted');
  const title = await page.locator('#class-PartnerData').textContent();
  await partnerData.locator('header button', { hasText: 'Revoke all' }).click();
  await expect(page.getByRole('dialog').textContent()).resolves.toContain(`Nothing of "${title}" is stored right now`);
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke and destroy' }).click();
  await page.waitForSelector('[data-class="PartnerData"] header .tag.off');
  await page.locator('[data-class="PartnerData"] header button', { hasText: 'Grant all' }).click();
  await page.waitForSelector('[data-class="PartnerData"] header .tag.on');
  await expect(page.locator('#history').textContent()).resolves.toMatch(/revoked[\s\S]*granted/);
  await context.close();
}, 90_000);

test('a token the API refuses leads back to the sign-in with a plain message', async () => {
  const guest = await seeded();
  const { page, context } = await openPortal(browser, apiUrl());
  await signIn(page, guest);
  // Spoil the stored session's access token (as an expired or revoked one would be refused), then reload.
  await page.evaluate(() => {
    const store = (globalThis as unknown as { sessionStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null; setItem(k: string, v: string): void } }).sessionStorage;
    for (let i = 0; i < store.length; i += 1) {
      const key = store.key(i)!;
      if (!key.startsWith('oidc.user:')) continue;
      const user = JSON.parse(store.getItem(key)!);
      store.setItem(key, JSON.stringify({ ...user, access_token: 'not.a.token' }));
    }
  });
  await page.reload();
  await page.waitForSelector('#sign-in');
  await expect(page.locator('#status').textContent()).resolves.toBe('Your sign-in expired. Please sign in again.');
  await signIn(page, guest);
  await expect(page.locator('#data').textContent()).resolves.toContain('wishlist');
  await context.close();
}, 90_000);

test('withdrawing a share and deleting an imported copy on the page: gone from the page, and the API agrees', async () => {
  const guest = await seeded();
  const { page, context } = await openPortal(browser, apiUrl());
  await signIn(page, guest);
  const share = page.locator(`[data-share="${guest.sharingIdentifier}"]`);
  await share.getByRole('button', { name: 'Withdraw: wishlist' }).click();
  const dialog = page.getByRole('dialog');
  // The page says what the API does: friends keep their copies, which can no longer be refreshed.
  await expect(dialog.textContent()).resolves.toContain('Friends keep the copies they already imported (1), but those copies can no longer be refreshed');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Withdraw' }).click();
  await share.waitFor({ state: 'detached' });
  await expect(page.locator('#status').textContent()).resolves.toBe('The share of wishlist is withdrawn.');
  await expect(page.locator('#shares').textContent()).resolves.toContain('You have no active shares.');
  await expect(page.locator('[data-item="PartnerData/wishlist"]').textContent()).resolves.not.toContain('you share it with a link');
  // The friend keeps the copy, but refreshing it (importing again) is refused.
  const friend = await tokenFor({ principal: 'guest', tenant: guest.tenant, sub: `${guest.sub}-friend`, partner: guest.partnerId, client: 'comics-shop-app', scope: 'profile_data_read profile_data_share' });
  expect((await call('GET', '/profile/v1/partnerdata/wishlist-ab', { token: friend })).status).toBe(200);
  const refresh = await call('PUT', `/profile/v1/import/${guest.sharingIdentifier}`, { token: friend });
  expect({ status: refresh.status, code: refresh.body.code }).toEqual({ status: 404, code: 'ShareNotFound' });

  // The copy of the friend's share, deleted with the keyboard (Cancel has the focus first; Tab reaches the confirm button).
  const copy = page.locator('[data-import]');
  await copy.getByRole('button', { name: `Delete copy: ${guest.importedCopy}` }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog').textContent()).resolves.toContain(`${guest.importedCopy} is deleted from your data for good`);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await copy.waitFor({ state: 'detached' });
  await expect(page.locator('#shares').textContent()).resolves.toContain('You hold no imported copies.');
  await expect(page.locator(`#data td`, { hasText: new RegExp(`^${guest.importedCopy}$`) }).count()).resolves.toBe(0);
  const shop = await tokenFor({ principal: 'guest', tenant: guest.tenant, sub: guest.sub, partner: guest.partnerId, client: 'comics-shop-app', scope: 'profile_data_read' });
  expect((await call('GET', `/profile/v1/partnerdata/${guest.importedCopy}`, { token: shop })).status).toBe(404);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await context.close();
}, 90_000);

test('a demo guest of the local sign-in page (one click) finds every view filled: the platform seeds them once it is ready', async () => {
  const { tenant } = demo();
  // The platform seeds the demo guests in the background after it is ready: wait for Ben's copy of Anna's wishlist.
  const anna = await tokenFor({ principal: 'guest', tenant, sub: 'demo-anna', scope: 'profile_data_read' });
  for (let attempt = 0; ; attempt += 1) {
    const exported = await call('GET', '/profile/v1/me/export', { token: anna });
    if (exported.status === 200 && exported.body.sharesGiven?.[0]?.importedBy?.length === 1) break;
    if (attempt === 120) throw new Error(`demo guests not seeded within 60 s: ${exported.status} ${exported.text}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const { page, context } = await openPortal(browser, apiUrl());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/oauth2\/authorize/);
  await page.getByRole('button', { name: /Anna Berger/ }).click();
  await page.waitForSelector('#data-title');
  for (const item of ['PartnerData/wishlist', 'PartnerData/reading-list', 'Order/order-1001', 'PartnerData/recommendations-bn']) {
    await expect(page.locator(`[data-item="${item}"]`).count()).resolves.toBe(1);
  }
  await expect(page.locator('#shares').textContent()).resolves.toMatch(/wishlist[\s\S]*imported 1 time[\s\S]*recommendations-bn/);
  // A copy names the share it came from (the export's `importedFrom` is an object: its identifier is shown).
  await expect(page.locator('[data-item="PartnerData/recommendations-bn"]').textContent()).resolves.toMatch(/imported copy of share [0-9a-f-]{36}/);
  await expect(page.locator('#history').textContent()).resolves.toMatch(/All \d+ entries verified/);
  await expect(page.locator('#access [data-partner]').count()).resolves.toBe(1);
  await context.close();
}, 90_000);
