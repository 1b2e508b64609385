/**
 * `npm run portal:screenshots`: the portal's main views as PNGs in docs/images/ (the README opens with one).
 * Starts its own platform, seeds a guest through the public API and signs in as a guest would.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIssuer } from '../../infra/local/issuer.js';
import { spawnPlatform, stopPlatform } from '../support/platform-process.js';
import { launchChromium, openPortal, signIn } from './browser.js';
import { seedGuest } from './seed-guest.js';

const out = new URL('../../docs/images/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'mydata-shots-'));
const { child, endpoints } = await spawnPlatform(['--issuer-key', join(scratch, 'key.json'), '--demo-file', join(scratch, 'demo.json')], 'ignore');
const browser = await launchChromium();
try {
  const apiUrl = endpoints.apiUrl!;
  const demo = JSON.parse(readFileSync(join(scratch, 'demo.json'), 'utf8')) as { tenant: string; rootPartnerId: string };
  const guest = { sub: 'anna.berger', givenName: 'Anna', familyName: 'Berger' };
  await seedGuest({ apiUrl, issuer: await loadIssuer(join(scratch, 'key.json')), tenant: demo.tenant, partnerId: demo.rootPartnerId, ...guest });
  const shot = async (page: import('playwright-core').Page, name: string, selector?: string) => {
    const path = join(out, `portal-${name}.png`);
    if (selector) await page.locator(selector).screenshot({ path });
    else await page.screenshot({ path });
    process.stdout.write(`${path}\n`);
  };

  const { page, context } = await openPortal(browser, apiUrl);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/oauth2\/authorize/);
  await shot(page, 'sign-in');
  await page.goBack();
  await signIn(page, guest);
  await shot(page, 'overview');
  await shot(page, 'data', '#data');
  await shot(page, 'consents', '#consents');
  await page.locator('[data-class="PartnerData"] header button', { hasText: 'Revoke all' }).click();
  await shot(page, 'revoke-warning');
  await page.keyboard.press('Escape');
  await shot(page, 'access', '#access');
  await shot(page, 'shares', '#shares');
  await shot(page, 'history', '#history');
  await page.locator('#erase').click();
  await shot(page, 'erase-confirmation');
  await page.keyboard.press('Escape');
  await context.close();

  const german = await openPortal(browser, apiUrl, 'de-DE');
  await signIn(german.page, guest);
  await shot(german.page, 'overview-de');
  await german.context.close();
} finally {
  await browser.close();
  await stopPlatform(child);
}
process.exit(0);
