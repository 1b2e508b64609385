/** Part 1: per function, bundle size (SDK vs other) and init instructions next to the two baselines. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalog } from '../infra/catalog/index.js';
import { planFunctions } from '../infra/aws/function-plan.js';
import { baselineEntry, baselineKey } from './baselines.js';
import { bundle, type BundleSplit } from './bundle.js';
import { initInstructions, pool } from './valgrind.js';

/** Functions the stack deploys besides the catalog's (infra/aws/mydata-stack.ts). */
const STACK_EXTRA_HANDLERS = ['functions/platform/outbox-enrich.ts'];

export const TARGETS = { maxOtherBytes: 100 * 1024, maxAddedInitShare: 0.15 };

export interface Measured extends Omit<BundleSplit, 'file'> {
  /** Instructions to load the bundle; undefined with --skip-init. */
  readonly instructions?: number;
}

export interface FunctionResult {
  readonly handler: string;
  readonly bundle: Measured;
  /** Key of the SDK-only baseline it is compared with. */
  readonly baseline: string;
  readonly addedBytes: number;
  readonly addedInstructions?: number;
  readonly addedShare?: number;
  readonly pass: { readonly size: boolean; readonly init?: boolean };
}

export interface InitResults {
  readonly targets: typeof TARGETS;
  readonly baselines: Record<string, Measured>;
  readonly functions: FunctionResult[];
}

export function functionHandlers(only?: string): string[] {
  const handlers = [...planFunctions(catalog).map((plan) => plan.handler), ...STACK_EXTRA_HANDLERS.filter((file) => existsSync(file))];
  return [...new Set(handlers)].filter((handler) => !only || handler.includes(only)).sort();
}

export async function measureInit(options: { only?: string; skipInit: boolean; jobs: number; outDir: string; log: (line: string) => void }): Promise<InitResults> {
  const { outDir, log } = options;
  const functions = new Map<string, BundleSplit>();
  for (const handler of functionHandlers(options.only)) {
    functions.set(handler, await bundle(handler, join(outDir, handler.replace(/\.ts$/, ''))));
  }
  const baselines = new Map<string, BundleSplit>();
  for (const clients of [[], ...[...functions.values()].map((fn) => fn.clients)]) {
    const key = baselineKey(clients);
    if (!baselines.has(key)) baselines.set(key, await bundle(await baselineEntry(clients, join(outDir, 'baselines', key)), join(outDir, 'baselines', key)));
  }
  log(`bundled ${functions.size} functions and ${baselines.size} baselines`);

  const instructions = new Map<string, number>();
  if (!options.skipInit) {
    const jobs = [...baselines.values(), ...functions.values()].map((split) => split.file);
    let done = 0;
    await pool(jobs, options.jobs, async (file) => {
      instructions.set(file, await initInstructions(file));
      log(`init ${++done}/${jobs.length} ${file}`);
    });
  }
  const measured = (split: BundleSplit): Measured => {
    const { file, ...rest } = split;
    return { ...rest, instructions: instructions.get(file) };
  };

  return {
    targets: TARGETS,
    baselines: Object.fromEntries([...baselines].map(([key, split]) => [key, measured(split)])),
    functions: [...functions].map(([handler, split]) => {
      const key = baselineKey(split.clients);
      const own = measured(split);
      const base = measured(baselines.get(key)!);
      const addedInstructions = own.instructions !== undefined && base.instructions !== undefined ? own.instructions - base.instructions : undefined;
      const addedShare = addedInstructions !== undefined ? addedInstructions / base.instructions! : undefined;
      return {
        handler,
        bundle: own,
        baseline: key,
        addedBytes: own.bytes - base.bytes,
        addedInstructions,
        addedShare,
        pass: {
          size: own.otherBytes <= TARGETS.maxOtherBytes,
          init: addedShare === undefined ? undefined : addedShare <= TARGETS.maxAddedInitShare,
        },
      };
    }),
  };
}
