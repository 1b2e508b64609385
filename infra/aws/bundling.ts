import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BuildOptions, buildSync } from 'esbuild';
import { catalog } from '../catalog/index.js';
import { routePoliciesOf } from './function-plan.js';
import { fromRepoRoot, repoRoot } from './repo-paths.js';

/**
 * Whether functions carry the X-Ray SDK (Powertools Tracer): a deployment choice, CDK context
 * `mydata:tracing` (decision 0120). `off` (the default) leaves it out of every bundle; Lambda's active
 * tracing records each invocation either way.
 */
export type TracingMode = 'on' | 'off';

export function tracingModeOf(value: unknown): TracingMode {
  if (value === undefined || value === null || value === '') return 'off';
  if (value === 'on' || value === 'off') return value;
  throw new Error(`The CDK context mydata:tracing must be "on" or "off", not ${JSON.stringify(value)}`);
}

/**
 * Powertools' documented banner for ESM bundles: some dependencies (X-Ray SDK) still call `require`,
 * which does not exist in an ES module.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/**
 * How every function is bundled (the stack, and bench/bundle.ts measuring it): minified ESM for node22,
 * source maps without sources, the SDK bundled (it initialises faster than the runtime's copy,
 * docs/toolchain), and the tracing mode as a build-time constant, so shared/platform/tracing.ts's
 * import of the X-Ray SDK is dead code and dropped when tracing is off.
 */
export function esbuildOptions(tracing: TracingMode): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: ESM_REQUIRE_BANNER },
    define: { 'process.env.MYDATA_TRACING': JSON.stringify(tracing) },
    logLevel: 'error',
  };
}

/** `functions/admin/put-tenant.ts` → `functions/admin/put-tenant`: the function's folder in the one-pass output. */
const outputKey = (entry: string) => entry.replace(/\.ts$/, '');

/**
 * The file esbuild starts a function's bundle from (decision 0123). For a handler serving routes, a generated
 * module in `scratchDir`: it re-exports the handler and hands the route policy its own routes as a constant
 * (`declareRoutes`), so no catalog module is in the bundle. One esbuild pass builds every function, so a
 * per-function `define` is impossible; a per-function entry is the constant's carrier instead. Event
 * consumers and schedules start from their handler file itself.
 */
export function functionEntryFile(entry: string, scratchDir: string): string {
  const routes = routePoliciesOf(catalog, entry);
  if (routes.length === 0) return fromRepoRoot(entry);
  const file = join(scratchDir, `${outputKey(entry)}.entry.ts`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `import { declareRoutes } from ${JSON.stringify(fromRepoRoot('shared/platform/route-policy.ts'))};\n` +
      `export * from ${JSON.stringify(fromRepoRoot(entry))};\n` +
      `declareRoutes(${JSON.stringify(routes)});\n`,
  );
  return file;
}

/**
 * All functions of the stack bundled in ONE esbuild pass (decision 0121): esbuild parses and links the SDK,
 * middy and our shared code once instead of once per function. Splitting is off, so each function still
 * gets exactly its own single `index.mjs` (+ map), the bytes a per-function build produces.
 *
 * The pass runs lazily, at the first function CDK actually bundles: template tests that skip bundling
 * (`aws:cdk:bundling-stacks: []`) never run esbuild.
 */
export class FunctionBundles {
  private outDir?: string;
  private readonly entries: readonly string[];

  constructor(
    entries: Iterable<string>,
    readonly tracing: TracingMode,
  ) {
    this.entries = [...new Set(entries)].sort();
  }

  /** The code of one function: its folder of the one-pass output, staged by CDK as an asset hashed by its content. */
  code(entry: string): lambda.Code {
    if (!this.entries.includes(entry)) {
      throw new Error(`${entry} is not among the bundled entries; add it to the stack's deployedHandlers()`);
    }
    return lambda.Code.fromAsset(repoRoot, {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never used: the local bundling below always succeeds (as NodejsFunction does with a local esbuild).
        image: DockerImage.fromRegistry('dummy'),
        local: new OnePassOutput(this, entry),
      },
    });
  }

  /** The folder holding `index.mjs` of `entry`, bundling every entry first if this has not happened yet. */
  outputOf(entry: string): string {
    if (!this.outDir) this.outDir = this.bundleAll();
    return join(this.outDir, outputKey(entry));
  }

  private bundleAll(): string {
    const outDir = mkdtempSync(join(tmpdir(), 'mydata-bundles-'));
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    // Beside the outputs, so the maps name the generated entries by the same relative path in every synth
    // (the assets are hashed by their output); only the functions' own folders are copied into the assets.
    const entriesDir = join(outDir, '.entries');
    buildSync({
      ...esbuildOptions(this.tracing),
      absWorkingDir: repoRoot,
      entryPoints: Object.fromEntries(this.entries.map((entry) => [`${outputKey(entry)}/index`, functionEntryFile(entry, entriesDir)])),
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      splitting: false,
    });
    return outDir;
  }
}

/** CDK's local bundling of one function: copy its output of the one pass into the asset's staging folder. */
class OnePassOutput implements ILocalBundling {
  constructor(
    private readonly bundles: FunctionBundles,
    // Part of CDK's asset cache key (it serialises the bundling options): one key per function and mode.
    readonly entry: string,
    readonly tracing: TracingMode = bundles.tracing,
  ) {}

  tryBundle(outputDir: string): boolean {
    mkdirSync(outputDir, { recursive: true });
    cpSync(this.bundles.outputOf(this.entry), outputDir, { recursive: true });
    return true;
  }
}
