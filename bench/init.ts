/**
 * Part 1: per function, bundle size (SDK vs other) and init instructions next to the two baselines, in
 * both tracing modes of the stack (decision 0120): `functions` is the default build (tracing off, which
 * the targets apply to), `tracingOn` what the X-Ray SDK costs on top of it.
 */
import { join } from 'node:path';
import type { TracingMode } from '../infra/aws/bundling.js';
import { deployedHandlers } from '../infra/aws/function-plan.js';
import { catalog } from '../infra/catalog/index.js';
import { baselineEntry, baselineKey } from './baselines.js';
import { bundle, type BundleSplit } from './bundle.js';
import { initInstructions, pool } from './valgrind.js';

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

/** Median and worst of the functions' figures against their SDK-only baselines. */
export interface Summary {
  readonly functions: number;
  readonly addedShare: { readonly median?: number; readonly worst?: number };
  readonly addedKiB: { readonly median: number; readonly worst: number };
  readonly otherKiB: { readonly median: number; readonly worst: number };
  readonly passing: { readonly size: number; readonly init?: number };
}

export interface InitResults {
  readonly targets: typeof TARGETS;
  readonly baselines: Record<string, Measured>;
  /** The stack's default build: tracing off, no X-Ray SDK in the bundle. */
  readonly functions: FunctionResult[];
  readonly summary: Summary;
  /** The same functions built with `-c mydata:tracing=on` (Powertools Tracer and the X-Ray SDK): the price of tracing. */
  readonly tracingOn?: { readonly functions: FunctionResult[]; readonly summary: Summary };
}

/** Every function the stack deploys (infra/aws/function-plan.ts deployedHandlers). */
export function functionHandlers(only?: string): string[] {
  return deployedHandlers(catalog).filter((handler) => !only || handler.includes(only));
}

export async function measureInit(options: {
  only?: string;
  skipInit: boolean;
  jobs: number;
  outDir: string;
  log: (line: string) => void;
  /** Which builds to measure; default both (the on-build doubles the valgrind time). */
  tracing?: readonly TracingMode[];
  /** Measure these handler files instead of every deployed one (a sample, when valgrind time is short). */
  handlers?: readonly string[];
}): Promise<InitResults> {
  const { outDir, log } = options;
  const modes = options.tracing ?? (['off', 'on'] as const);
  const builds = new Map<TracingMode, Map<string, BundleSplit>>();
  for (const mode of modes) {
    // Concurrently: esbuild's service builds them in parallel and caches nothing between builds anyway.
    const handlers = options.handlers ? [...options.handlers] : functionHandlers(options.only);
    const splits = await Promise.all(handlers.map((handler) => bundle(handler, join(outDir, `tracing-${mode}`, handler.replace(/\.ts$/, '')), mode)));
    builds.set(mode, new Map(handlers.map((handler, index) => [handler, splits[index]])));
  }
  const baselines = new Map<string, BundleSplit>();
  for (const clients of [[], ...[...builds.values()].flatMap((functions) => [...functions.values()].map((fn) => fn.clients))]) {
    const key = baselineKey(clients);
    if (!baselines.has(key)) baselines.set(key, await bundle(await baselineEntry(clients, join(outDir, 'baselines', key)), join(outDir, 'baselines', key)));
  }
  log(`bundled ${[...builds.values()].map((functions) => functions.size).join(' + ')} functions (tracing ${modes.join(', ')}) and ${baselines.size} baselines`);

  const instructions = new Map<string, number>();
  if (!options.skipInit) {
    const jobs = [...baselines.values(), ...[...builds.values()].flatMap((functions) => [...functions.values()])].map((split) => split.file);
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

  const results = (functions: Map<string, BundleSplit>): FunctionResult[] =>
    [...functions].map(([handler, split]) => {
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
    });

  const off = results(builds.get('off') ?? new Map());
  const on = builds.has('on') ? results(builds.get('on')!) : undefined;
  const report = (mode: TracingMode, summary: Summary) =>
    log(
      `tracing ${mode}: ${summary.functions} functions; added init median ${pct(summary.addedShare.median)}, worst ${pct(summary.addedShare.worst)}; ` +
        `added KiB median ${summary.addedKiB.median.toFixed(1)}, worst ${summary.addedKiB.worst.toFixed(1)}; other KiB median ${summary.otherKiB.median.toFixed(1)}, ` +
        `worst ${summary.otherKiB.worst.toFixed(1)}; within ${TARGETS.maxOtherBytes / 1024} KiB: ${summary.passing.size}, within ${TARGETS.maxAddedInitShare * 100}%: ${summary.passing.init ?? '-'}`,
    );
  const summary = summarise(off);
  if (off.length > 0) report('off', summary);
  const tracingOn = on ? { functions: on, summary: summarise(on) } : undefined;
  if (tracingOn) report('on', tracingOn.summary);
  return {
    targets: TARGETS,
    baselines: Object.fromEntries([...baselines].map(([key, split]) => [key, measured(split)])),
    functions: off,
    summary,
    tracingOn,
  };
}

const pct = (share?: number) => (share === undefined ? '-' : `${(share * 100).toFixed(1)}%`);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summarise(functions: readonly FunctionResult[]): Summary {
  const shares = functions.flatMap((fn) => (fn.addedShare === undefined ? [] : [fn.addedShare]));
  const added = functions.map((fn) => fn.addedBytes / 1024);
  const other = functions.map((fn) => fn.bundle.otherBytes / 1024);
  return {
    functions: functions.length,
    addedShare: shares.length ? { median: median(shares), worst: Math.max(...shares) } : {},
    addedKiB: { median: median(added), worst: Math.max(...added) },
    otherKiB: { median: median(other), worst: Math.max(...other) },
    passing: {
      size: functions.filter((fn) => fn.pass.size).length,
      init: shares.length ? functions.filter((fn) => fn.pass.init).length : undefined,
    },
  };
}
