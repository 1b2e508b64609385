/**
 * Bundles an entry exactly as the CDK stack does (infra/aws/bundling.ts, the same esbuild options and
 * tracing constant) and splits the output bytes into the AWS SDK and everything else, using esbuild's metafile.
 */
import { build, type Metafile } from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { esbuildOptions, functionEntryFile, type TracingMode } from '../infra/aws/bundling.js';

const SDK_SCOPES = ['@aws-sdk/', '@smithy/', '@aws-crypto/'];
const OURS = '(our code)';

export interface BundleSplit {
  /** Path of the built `index.mjs`. */
  readonly file: string;
  readonly bytes: number;
  readonly sdkBytes: number;
  /** Everything that is not the SDK: our code, our other dependencies, esbuild's glue. */
  readonly otherBytes: number;
  /** The largest non-SDK contributors, by package (`(our code)` for files outside node_modules). */
  readonly otherTop: ReadonlyArray<{ readonly name: string; readonly bytes: number }>;
  /** SDK client packages with code in the bundle (`@aws-sdk/client-*`, `@aws-sdk/lib-dynamodb`), sorted. */
  readonly clients: readonly string[];
}

/** `tracing` is the stack's mode (decision 0120): `off` leaves the X-Ray SDK out. Baselines do not depend on it. */
export async function bundle(entry: string, outDir: string, tracing: TracingMode = 'off'): Promise<BundleSplit> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'index.mjs');
  const { metafile } = (await build({ ...esbuildOptions(tracing), entryPoints: [functionEntryFile(entry, join(outDir, 'entry'))], outfile: file, metafile: true })) as { metafile: Metafile };
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith('.mjs'))![1];
  const sdk = sdkPackages(metafile);
  const byPackage = new Map<string, number>();
  let sdkBytes = 0;
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(path);
    if (sdk.has(name)) sdkBytes += bytesInOutput;
    else byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const bytes = statSync(file).size;
  const otherTop = [...byPackage].map(([name, size]) => ({ name, bytes: size })).sort((a, b) => b.bytes - a.bytes).slice(0, 5);
  // From the output, not the inputs: esbuild parses every client shared/platform/clients.ts imports, but
  // drops the unused ones (the SDK declares itself free of side effects).
  const clients = [...new Set(Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => packageOf(path)))]
    .filter((name) => /^@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb)$/.test(name))
    .sort();
  return { file, bytes, sdkBytes, otherBytes: bytes - sdkBytes, otherTop, clients };
}

/** `node_modules/@smithy/core/dist-es/x.js` → `@smithy/core`; files outside node_modules are ours. */
export function packageOf(path: string): string {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return OURS;
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/**
 * The SDK's packages (by scope), plus the packages only the SDK imports (tslib, fast-xml-parser, …):
 * a package belongs to the SDK when every package importing it does, found by iterating to a fixpoint.
 */
function sdkPackages(metafile: Metafile): Set<string> {
  const importers = new Map<string, Set<string>>();
  for (const [path, input] of Object.entries(metafile.inputs)) {
    const from = packageOf(path);
    for (const { path: target } of input.imports) {
      if (!(target in metafile.inputs)) continue;
      const to = packageOf(target);
      if (to !== from) importers.set(to, (importers.get(to) ?? new Set()).add(from));
    }
  }
  const sdk = new Set([...importers.keys(), ...Object.keys(metafile.inputs).map(packageOf)].filter((name) => SDK_SCOPES.some((scope) => name.startsWith(scope))));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, from] of importers) {
      if (name === OURS || sdk.has(name) || from.size === 0) continue;
      if ([...from].every((importer) => sdk.has(importer))) {
        sdk.add(name);
        grew = true;
      }
    }
  }
  return sdk;
}
