/**
 * The load run (decision 0130): the in-process platform under a bounded concurrent load — C connections
 * (default 20), each a guest of its own, working through a mixed sequence of requests (40 % GET of a
 * partner-data object, 40 % GET of the guest's consents, 20 % PUT of the partner-data object) — next to
 * the bare-SDK run of the same mix: each request's recorded SDK calls replayed by C workers, the same
 * requests on the same worker in the same order (so each guest's writes meet the conditions they met).
 * Rounds alternate ours and bare; figures are the median of the rounds.
 */
import { CONSENT_MANAGE, CONSENT_VIEW, DATA_READ, DATA_WRITE, scopeClaim } from '../shared/platform/scopes.js';
import { percentiles, round, sendRaw } from './latency.js';
import { type BareClients, type RecordedCall, REQUEST_ID_HEADER, type Shadow, replay, startRecording } from './replay.js';
import type { BenchContext, BenchRequest } from './scenario.js';
import { activeReference, metamodel, must, onboard } from './support.js';

export const LOAD_NAME = 'load: mixed 80 % reads (GET partner data, GET consents), 20 % writes (PUT partner data)';
const TENANT = 'bench-load';
const SCOPES = scopeClaim(DATA_READ, DATA_WRITE, CONSENT_VIEW, CONSENT_MANAGE);
const WARMUP_PER_CONNECTION = 10;

interface Guest {
  readonly token: string;
  readonly ref: string;
}

export interface LoadWorld {
  readonly guests: readonly Guest[];
}

/** The data the load touches: one tenant, one guest per connection with a reference and an object `load`. */
export async function prepareLoad(context: BenchContext, connections: number): Promise<LoadWorld> {
  const { rootPartnerId } = await onboard(context, TENANT);
  await metamodel(context, TENANT, [
    { schema: 'PartnerData', consentClass: 'PartnerData' },
    { schema: 'Person', consentClass: 'MasterData' },
  ]);
  const guests = await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const sub = `bench-load-${c}`;
      const { ref } = await activeReference(context, TENANT, sub);
      const token = await context.token({ principal: 'guest', tenant: TENANT, sub, partner_id: rootPartnerId, client_id: 'bench-app', scope: SCOPES });
      await must(context, { method: 'PUT', path: '/profile/v1/partnerdata/load', token, body: body(0) });
      return { token, ref };
    }),
  );
  return { guests };
}

/** About 300 bytes, the same size whatever `n`. */
const body = (n: number) => ({ n: String(n).padStart(8, '0'), items: Array.from({ length: 10 }, (_, i) => ({ sku: `SKU-${i}`, qty: i })) });

const KINDS = ['GET partner data', 'GET consents', 'PUT partner data'] as const;
type Kind = (typeof KINDS)[number];

/** The k-th request of connection c: a fixed mix of 4 partner-data reads, 4 consent reads and 2 writes in 10, shifted per connection. */
function requestOf(world: LoadWorld, c: number, k: number, n: number): { kind: Kind; request: BenchRequest } {
  const { token, ref } = world.guests[c];
  const slot = (k + c) % 10;
  if (slot < 4) return { kind: 'GET partner data', request: { method: 'GET', path: '/profile/v1/partnerdata/load', token } };
  if (slot < 8) return { kind: 'GET consents', request: { method: 'GET', path: `/profile-consent/v1/${TENANT}/consents/${ref}`, token } };
  return { kind: 'PUT partner data', request: { method: 'PUT', path: '/profile/v1/partnerdata/load', token, body: body(n) } };
}

export interface LoadRun {
  readonly requests: number;
  readonly seconds: number;
  readonly throughput: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface LoadResults {
  readonly name: string;
  readonly connections: number;
  readonly requestsPerRound: number;
  readonly rounds: number;
  readonly mix: Record<Kind, number>;
  /** Medians over the rounds. */
  readonly ours: LoadRun;
  readonly bare: LoadRun;
  readonly p50OverBare: number;
  readonly throughputShareOfBare: number;
  readonly perRound: ReadonlyArray<{ readonly ours: LoadRun; readonly bare: LoadRun }>;
  /** Requests answered other than 200 (not replayed), and replayed calls whose outcome differed from the recording. */
  readonly errors: number;
  readonly replayMismatches: number;
}

interface Options {
  readonly apiUrl: string;
  readonly bare: BareClients;
  readonly shadow: Shadow;
  readonly requests: number;
  readonly connections: number;
  readonly rounds: number;
  readonly log: (line: string) => void;
}

/** Runs `perConnection(c)` on C workers at once; the wall time of all of them. */
async function concurrently(connections: number, perConnection: (c: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, (_, c) => perConnection(c)));
  return performance.now() - started;
}

export async function runLoad(world: LoadWorld, options: Options): Promise<LoadResults> {
  const { connections } = options;
  const perConnection = Math.ceil(options.requests / connections);
  let sequence = 0;
  let errors = 0;
  let mismatches = 0;
  const mix: Record<Kind, number> = { 'GET partner data': 0, 'GET consents': 0, 'PUT partner data': 0 };

  /** Our platform: each worker sends its requests one after the other; every request's calls are recorded. */
  const ours = async (count: number, countMix: boolean) => {
    const recorded: RecordedCall[][][] = Array.from({ length: connections }, () => []);
    const durations: number[] = [];
    const base = sequence;
    sequence += count;
    const wallMs = await concurrently(connections, async (c) => {
      for (let k = 0; k < count; k++) {
        const { kind, request } = requestOf(world, c, k, base + k);
        const id = `load:${base}:${c}:${k}`;
        const recording = startRecording(id);
        const started = performance.now();
        const response = await sendRaw(options.apiUrl, { ...request, headers: { [REQUEST_ID_HEADER]: id } });
        durations.push(performance.now() - started);
        const calls = recording.take();
        if (response.status !== 200) {
          errors++;
          if (errors <= 3) options.log(`load: ${request.method} ${request.path} answered ${response.status}: ${response.text.slice(0, 200)}`);
        }
        recorded[c].push(calls);
        if (countMix) mix[kind]++;
      }
    });
    return { recorded, run: run(durations, wallMs) };
  };
  /** The bare run: the same workers replay the same requests' calls in the same order. */
  const bare = async (recorded: RecordedCall[][][]) => {
    await options.shadow.catchUp();
    const durations: number[] = [];
    const diverged: RecordedCall[][] = [];
    const wallMs = await concurrently(connections, async (c) => {
      for (const calls of recorded[c]) {
        const replayed = await replay(calls, options.bare);
        mismatches += replayed.mismatches;
        if (replayed.mismatches > 0) diverged.push(calls);
        durations.push(replayed.ms);
      }
    });
    // What the round touched first, mirrored now that both sides are past it (bench/replay.ts).
    for (const calls of recorded.flat()) await options.shadow.mirror(calls);
    for (const calls of diverged) await options.shadow.mirror(calls, true);
    return run(durations, wallMs);
  };

  await bare((await ours(WARMUP_PER_CONNECTION, false)).recorded);
  errors = 0;
  mismatches = 0;
  const perRound: Array<{ ours: LoadRun; bare: LoadRun }> = [];
  for (let r = 0; r < options.rounds; r++) {
    const measured = await ours(perConnection, r === 0);
    const baseline = await bare(measured.recorded);
    perRound.push({ ours: measured.run, bare: baseline });
    options.log(
      `load round ${r + 1}: ours ${measured.run.throughput} req/s p50 ${measured.run.p50Ms} ms p99 ${measured.run.p99Ms} ms; bare ${baseline.throughput} req/s p50 ${baseline.p50Ms} ms p99 ${baseline.p99Ms} ms`,
    );
  }
  const median = (pick: (entry: { ours: LoadRun; bare: LoadRun }) => number) => {
    const values = perRound.map(pick).sort((a, b) => a - b);
    return values[Math.floor((values.length - 1) / 2)];
  };
  const summary = (side: 'ours' | 'bare'): LoadRun => ({
    requests: perConnection * connections,
    seconds: median((e) => e[side].seconds),
    throughput: median((e) => e[side].throughput),
    p50Ms: median((e) => e[side].p50Ms),
    p99Ms: median((e) => e[side].p99Ms),
  });
  return {
    name: LOAD_NAME,
    connections,
    requestsPerRound: perConnection * connections,
    rounds: options.rounds,
    mix,
    ours: summary('ours'),
    bare: summary('bare'),
    p50OverBare: round(median((e) => e.ours.p50Ms / e.bare.p50Ms)),
    throughputShareOfBare: round(median((e) => e.ours.throughput / e.bare.throughput)),
    perRound,
    errors,
    replayMismatches: mismatches,
  };
}

function run(durations: number[], wallMs: number): LoadRun {
  const { p50Ms, p99Ms } = percentiles(durations);
  return { requests: durations.length, seconds: round(wallMs / 1000), throughput: Math.round(durations.length / (wallMs / 1000)), p50Ms, p99Ms };
}
