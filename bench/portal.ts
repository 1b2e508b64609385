/**
 * The portal's weight and speed (issue 14, decision 0502): the page's JavaScript and CSS as sent (bytes over
 * the wire from the local gateway, uncompressed) and gzip-compressed (what CloudFront sends), and the time
 * to interactive in headless Chromium — signed out (the sign-in button works) and signed in (every view
 * rendered from the API) — the median of several cold loads against a platform started for it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadIssuer } from '../infra/local/issuer.js';
import { buildPortal } from '../portal/build.js';
import { launchChromium, openPortal, signIn } from '../test/browser/browser.js';
import { seedGuest } from '../test/browser/seed-guest.js';
import { spawnPlatform, stopPlatform } from '../test/support/platform-process.js';

/** Budgets (decision 0502): gzip bytes as CloudFront sends them; milliseconds on this machine, local platform. */
export const PORTAL_BUDGET = { scriptGzipBytes: 32 * 1024, styleGzipBytes: 4 * 1024, signedOutMs: 1000, signedInMs: 2500 } as const;

export interface PortalFigures {
  readonly scriptBytes: number;
  readonly scriptGzipBytes: number;
  readonly styleBytes: number;
  readonly styleGzipBytes: number;
  /** Bytes of the responses of a cold signed-out load (page, script, style, config, icon) as received. */
  readonly signedOutTransferBytes: number;
  readonly signedOutMs: number;
  readonly signedInMs: number;
  readonly runs: number;
  readonly withinBudget: boolean;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function measurePortal(options: { runs?: number; log: (line: string) => void }): Promise<PortalFigures> {
  const runs = options.runs ?? 5;
  const files = await buildPortal();
  const gzip = (text: string) => gzipSync(text, { level: 9 }).length;
  const scratch = mkdtempSync(join(tmpdir(), 'mydata-bench-portal-'));
  const issuerKey = join(scratch, 'issuer-key.json');
  const { child, endpoints } = await spawnPlatform(['--issuer-key', issuerKey, '--demo-file', join(scratch, 'demo.json')], 'ignore');
  const browser = await launchChromium();
  try {
    const apiUrl = endpoints.apiUrl!;
    const demo = JSON.parse(readFileSync(join(scratch, 'demo.json'), 'utf8')) as { tenant: string; rootPartnerId: string };
    const guest = { sub: 'bench-guest', givenName: 'Bea', familyName: 'Bench' };
    await seedGuest({ apiUrl, issuer: await loadIssuer(issuerKey), tenant: demo.tenant, partnerId: demo.rootPartnerId, ...guest });
    options.log(`portal: ${runs} cold loads signed out and signed in`);
    const signedOut: number[] = [];
    const signedIn: number[] = [];
    let transfer = 0;
    for (let run = 0; run < runs; run += 1) {
      const { context, page } = await openPortal(browser, apiUrl);
      await page.waitForSelector('#sign-in');
      // Navigation start to the moment the button exists and the page's module has run.
      signedOut.push(await page.evaluate(() => performance.now()));
      if (run === 0) {
        // Resource Timing as the browser recorded it (the root tsconfig has no DOM types, hence the shape).
        type Timing = { entryType: string; transferSize?: number };
        transfer = await page.evaluate(() => (performance.getEntries() as unknown as Timing[])
          .filter((e) => e.entryType === 'navigation' || e.entryType === 'resource')
          .reduce((sum, e) => sum + (e.transferSize ?? 0), 0));
      }
      await signIn(page, guest);
      // Reload with the session kept: navigation start to every view rendered from the API.
      await page.reload();
      await page.waitForSelector('#history-title');
      signedIn.push(await page.evaluate(() => performance.now()));
      await context.close();
    }
    const script = files['portal.js']!.body;
    const style = files['portal.css']!.body;
    const figures = {
      scriptBytes: Buffer.byteLength(script),
      scriptGzipBytes: gzip(script),
      styleBytes: Buffer.byteLength(style),
      styleGzipBytes: gzip(style),
      signedOutTransferBytes: transfer,
      signedOutMs: Math.round(median(signedOut)),
      signedInMs: Math.round(median(signedIn)),
      runs,
    };
    const withinBudget = figures.scriptGzipBytes <= PORTAL_BUDGET.scriptGzipBytes && figures.styleGzipBytes <= PORTAL_BUDGET.styleGzipBytes
      && figures.signedOutMs <= PORTAL_BUDGET.signedOutMs && figures.signedInMs <= PORTAL_BUDGET.signedInMs;
    return { ...figures, withinBudget };
  } finally {
    await browser.close();
    await stopPlatform(child);
  }
}

export function portalTable(f: PortalFigures): string {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const b = PORTAL_BUDGET;
  return [
    '| measure | value | budget |',
    '|---|---|---|',
    `| script (portal.js) | ${kib(f.scriptBytes)}, gzip ${kib(f.scriptGzipBytes)} | gzip ≤ ${kib(b.scriptGzipBytes)} |`,
    `| style (portal.css) | ${kib(f.styleBytes)}, gzip ${kib(f.styleGzipBytes)} | gzip ≤ ${kib(b.styleGzipBytes)} |`,
    `| transferred, cold signed-out load (local gateway, uncompressed) | ${kib(f.signedOutTransferBytes)} | – |`,
    `| time to interactive, signed out (median of ${f.runs}) | ${f.signedOutMs} ms | ≤ ${b.signedOutMs} ms |`,
    `| time to interactive, signed in, every view from the API (median of ${f.runs}) | ${f.signedInMs} ms | ≤ ${b.signedInMs} ms |`,
    `| within budget | ${f.withinBudget ? 'yes' : 'NO'} | |`,
  ].join('\n');
}
