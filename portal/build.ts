import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * Builds the portal (decision 0500): one minified ES module with oidc-client-ts inside, one stylesheet, the
 * page. No inline script or style anywhere, so the Content-Security-Policy allows only the page's origin.
 * Used by the local gateway (in memory, at start), the CDK asset (local bundling) and the bench.
 */
export interface PortalFiles {
  readonly [path: string]: { readonly contentType: string; readonly body: string };
}

const here = (path: string) => new URL(path, import.meta.url);

export async function buildPortal(): Promise<PortalFiles> {
  const script = await build({
    entryPoints: [here('./src/main.ts').pathname],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const styles = await build({
    entryPoints: [here('./portal.css').pathname, here('./sign-in.css').pathname],
    bundle: true,
    minify: true,
    write: false,
    outdir: 'out',
    logLevel: 'silent',
  });
  const css = (name: string) => styles.outputFiles.find((file) => file.path.endsWith(`/${name}`))!.text;
  return {
    'index.html': { contentType: 'text/html; charset=utf-8', body: readFileSync(here('./index.html'), 'utf8') },
    'portal.js': { contentType: 'text/javascript; charset=utf-8', body: script.outputFiles[0].text },
    'portal.css': { contentType: 'text/css; charset=utf-8', body: css('portal.css') },
    'sign-in.css': { contentType: 'text/css; charset=utf-8', body: css('sign-in.css') },
    'favicon.svg': { contentType: 'image/svg+xml', body: readFileSync(here('./favicon.svg'), 'utf8') },
  };
}

/** What the page reads from `config.json`: where to sign in and where the API is (the only difference between local and AWS). */
export interface PortalConfig {
  readonly authority: string;
  readonly clientId: string;
  readonly scope: string;
  readonly apiUrl: string;
}
