import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (nothing downloads a browser; `.ci/run` installs the package).
 * `MYDATA_CHROMIUM` names another binary.
 */
export const CHROMIUM = process.env.MYDATA_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium, as .ci/run does) or set MYDATA_CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A fresh browser context (its own sessionStorage) in a language, recording every request's origin. */
export async function openPortal(browser: Browser, apiUrl: string, locale = 'en-GB'): Promise<{ context: BrowserContext; page: Page; origins: Set<string>; violations: string[] }> {
  const context = await browser.newContext({ locale, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const origins = new Set<string>();
  const violations: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('blob:')) origins.add(new URL(request.url()).origin);
  });
  // Script errors and refusals by the Content-Security-Policy; a 404 the page expects (an optional endpoint) is neither.
  page.on('pageerror', (error) => violations.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) violations.push(message.text());
  });
  await page.goto(`${apiUrl}/portal/`);
  return { context, page, origins, violations };
}

/** Through the local issuer's development sign-in page, as a guest would (typing, no shortcut). */
export async function signIn(page: Page, guest: { sub: string; givenName: string; familyName: string }, landing = '#data-title'): Promise<void> {
  await page.getByRole('button', { name: /sign in|anmelden/i }).click();
  await page.waitForURL(/\/oauth2\/authorize/);
  await page.fill('#sub', guest.sub);
  await page.fill('#given_name', guest.givenName);
  await page.fill('#family_name', guest.familyName);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForSelector(landing);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's findings of impact serious or critical (run through the driver, so the page's CSP does not apply to it). */
export async function seriousAccessibilityViolations(page: Page): Promise<{ id: string; impact: string; nodes: number }[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const { axe } = globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } };
    const result = await axe.run();
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
}
