import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions, buildSync } from 'esbuild';

/**
 * Builds the portal (decision 0500): one minified ES module with oidc-client-ts inside, one stylesheet, the
 * page. No inline script or style anywhere, so the Content-Security-Policy allows only the page's origin.
 * Used by the local gateway (in memory, at start), the CDK asset (local bundling) and the bench.
 */
export interface PortalFiles {
  readonly [path: string]: { readonly contentType: string; readonly body: string };
}

const here = (path: string) => new URL(path, import.meta.url);

const scriptOptions: BuildOptions = {
  entryPoints: [here('./src/main.ts').pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  platform: 'browser',
  legalComments: 'none',
  logLevel: 'silent',
};
const styleOptions: BuildOptions = {
  entryPoints: [here('./portal.css').pathname, here('./sign-in.css').pathname],
  bundle: true,
  minify: true,
  logLevel: 'silent',
};
const STATIC = ['index.html', 'favicon.svg'] as const;
const contentTypes: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
  'portal.js': 'text/javascript; charset=utf-8',
  'portal.css': 'text/css; charset=utf-8',
  'sign-in.css': 'text/css; charset=utf-8',
};

/** In memory, for the local gateway and the bench. */
export async function buildPortal(): Promise<PortalFiles> {
  const script = await build({ ...scriptOptions, write: false, outfile: 'out/portal.js' });
  const styles = await build({ ...styleOptions, write: false, outdir: 'out' });
  const files: Record<string, { contentType: string; body: string }> = {};
  for (const file of [...script.outputFiles!, ...styles.outputFiles!]) {
    const name = file.path.split('/').pop()!;
    files[name] = { contentType: contentTypes[name]!, body: file.text };
  }
  for (const name of STATIC) files[name] = { contentType: contentTypes[name]!, body: readFileSync(here(`./${name}`), 'utf8') };
  return files;
}

/** Into a folder, synchronously: the CDK asset's local bundling (no Docker, works offline). */
export function writePortal(outDir: string): void {
  buildSync({ ...scriptOptions, outfile: join(outDir, 'portal.js') });
  buildSync({ ...styleOptions, outdir: outDir });
  for (const name of STATIC) copyFileSync(here(`./${name}`), join(outDir, name));
}

/** What the page reads from `config.json`: where to sign in and where the API is (the only difference between local and AWS). */
export interface PortalConfig {
  readonly authority: string;
  readonly clientId: string;
  readonly scope: string;
  readonly apiUrl: string;
}
