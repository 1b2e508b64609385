import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptions, functionEntryFile, FunctionBundles, tracingModeOf } from '../../infra/aws/bundling.js';
import { deployedHandlers } from '../../infra/aws/function-plan.js';
import { catalog } from '../../infra/catalog/index.js';
import { repoRoot } from '../../infra/aws/repo-paths.js';

/** esbuild on a loaded 2-core machine. */
const BUILD_TIMEOUT = 120_000;

/** An HTTP handler, an event consumer (both through the tracing middleware) and one without middy. */
const ENTRIES = ['functions/consent/get-schema.ts', 'functions/profile/on-consent-reference-deleted.ts', 'functions/platform/outbox-enrich.ts'];

const scratch = mkdtempSync(join(tmpdir(), 'mydata-bundling-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What a per-function build (one esbuild process per function, as NodejsFunction did) gives for `entry`. */
async function alone(entry: string, tracing: 'on' | 'off') {
  const outfile = join(scratch, tracing, entry.replace(/\.ts$/, ''), 'index.mjs');
  const { metafile } = await build({ ...esbuildOptions(tracing), absWorkingDir: repoRoot, entryPoints: [functionEntryFile(entry, join(scratch, 'entries'))], outfile, metafile: true });
  return { code: readFileSync(outfile, 'utf8'), map: JSON.parse(readFileSync(`${outfile}.map`, 'utf8')), inputs: Object.keys(metafile!.inputs) };
}

describe('one-pass bundling of every function (decision 0121)', () => {
  it('gives each function the bytes a build of that function alone gives', async () => {
    const bundles = new FunctionBundles(ENTRIES, 'off');
    for (const entry of ENTRIES) {
      const single = await alone(entry, 'off');
      const dir = bundles.outputOf(entry);
      expect({ entry, code: readFileSync(join(dir, 'index.mjs'), 'utf8') }).toEqual({ entry, code: single.code });
      // Source paths are relative to where the map lies; the mappings themselves are the same.
      const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8'));
      expect({ entry, mappings: map.mappings, names: map.names }).toEqual({ entry, mappings: single.map.mappings, names: single.map.names });
    }
  }, BUILD_TIMEOUT);

  it('leaves the X-Ray SDK out of every bundle with tracing off, and puts it in with tracing on', async () => {
    const xray = (inputs: string[]) => inputs.filter((input) => /node_modules\/(aws-xray-sdk-core|@aws-lambda-powertools\/tracer)\//.test(input));
    for (const entry of ENTRIES.slice(0, 2)) {
      expect({ entry, xray: xray((await alone(entry, 'off')).inputs) }).toEqual({ entry, xray: [] });
      expect(xray((await alone(entry, 'on')).inputs).length).toBeGreaterThan(0);
    }
  }, BUILD_TIMEOUT);

  it('refuses a function that is not among the pass entries', () => {
    expect(() => new FunctionBundles(ENTRIES, 'off').code('functions/consent/list-schemas.ts')).toThrow(/not among the bundled entries/);
  });

  it('bundles every handler the stack deploys, each once', () => {
    const handlers = deployedHandlers(catalog);
    expect(new Set(handlers).size).toBe(handlers.length);
    expect(handlers).toEqual(expect.arrayContaining(['functions/platform/outbox-enrich.ts', 'functions/platform/sweep-outbox.ts']));
  });

  it('reads the tracing mode from the CDK context: off unless on, anything else refused', () => {
    expect(tracingModeOf(undefined)).toBe('off');
    expect(tracingModeOf('on')).toBe('on');
    expect(tracingModeOf('off')).toBe('off');
    expect(() => tracingModeOf('true')).toThrow(/mydata:tracing/);
  });
});
