/**
 * Part 2: the whole platform in-process (in-memory), seeded through the API; each scenario runs N
 * sequential requests, timed from send to the last byte, with the SDK calls each request makes, and
 * each preceded by the baseline: a bare SDK GetItem on the same DynamoDB Local.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { catalog } from '../infra/catalog/index.js';
import { localCredentials } from '../infra/local/dynamodb.js';
import { loadIssuer } from '../infra/local/issuer.js';
import { LOCAL_NAMES, startPlatform } from '../infra/local/platform.js';
import { DEMO_CONSENT_CLASSES, seedDemo } from '../infra/local/seed.js';
import { takeSdkCalls } from '../shared/platform/sdk-calls.js';
import type { BenchContext, BenchRequest, BenchResponse, Scenario } from './scenario.js';

export const LATENCY_TARGET = { maxP50OverBaseline: 2 };

export interface Timing {
  readonly n: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface ScenarioResult extends Partial<Timing> {
  readonly name: string;
  readonly skipped?: string;
  readonly error?: string;
  /** Calls per request (median and max) by service (`DynamoDB`, `KMS`) and by operation (`DynamoDB.Query`). */
  readonly callsPerRequest?: Record<string, { readonly median: number; readonly max: number }>;
  /** Each distinct set of operations one request made, and how many requests made it; most frequent first. */
  readonly callPatterns?: ReadonlyArray<{ readonly operations: Record<string, number>; readonly requests: number }>;
  readonly maxCalls?: Readonly<Record<string, number>>;
  /** The GetItems interleaved with this scenario's requests (one before each request). */
  readonly baseline?: Timing;
  readonly p50OverBaseline?: number;
  readonly pass?: { readonly latency: boolean; readonly calls?: boolean };
}

export interface LatencyResults {
  readonly targets: typeof LATENCY_TARGET;
  readonly requestsPerScenario: number;
  /** All baseline GetItems of the run (each scenario also has its own, interleaved with its requests). */
  readonly baseline: Timing & { readonly name: string };
  readonly scenarios: ScenarioResult[];
}

const WARMUP = 20;

export async function measureLatency(options: { only?: string; requests: number; log: (line: string) => void }): Promise<LatencyResults> {
  const scratch = mkdtempSync(join(tmpdir(), 'mydata-bench-'));
  const issuerKeyFile = join(scratch, 'issuer-key.json');
  const platform = await startPlatform({ port: 0, issuerKeyFile });
  try {
    Object.assign(process.env, {
      // test/support/api.ts helpers read these, so scenarios may reuse them.
      MYDATA_API_URL: platform.apiUrl,
      MYDATA_DYNAMODB_URL: platform.dynamoUrl,
      MYDATA_KMS_URL: platform.kmsUrl,
      MYDATA_EVENTS_URL: platform.eventsUrl,
      MYDATA_ISSUER_KEY_FILE: issuerKeyFile,
    });
    const issuer = await loadIssuer(issuerKeyFile);
    const seeded = await seedDemo(platform.apiUrl, issuer);
    const rawDynamo = new DynamoDBClient({ endpoint: platform.dynamoUrl, region: LOCAL_NAMES.region, credentials: localCredentials });
    const context: BenchContext = {
      ...seeded,
      consentClasses: DEMO_CONSENT_CLASSES.map((entry) => entry.class),
      call: (request) => send(platform.apiUrl, request),
      token: (claims) => issuer.sign({ ...claims }),
      systemToken: () => issuer.sign({ principal: 'system', sub: 'bench-operator' }),
      dynamo: DynamoDBDocumentClient.from(rawDynamo),
      tableNames: { data: LOCAL_NAMES.tableName, keys: LOCAL_NAMES.keyTableName },
    };

    // DynamoDB Local is a JVM that gets faster over its first thousand requests.
    const getItem = await getItemBaseline(rawDynamo);
    for (let i = 0; i < 1000; i++) await getItem();
    const scenarios: ScenarioResult[] = [];
    const allBaseline: number[] = [];
    for (const scenario of await loadScenarios()) {
      if (options.only && !scenario.name.includes(options.only)) continue;
      const result = await runScenario(scenario, context, platform.apiUrl, options.requests, getItem, allBaseline);
      options.log(`scenario ${scenario.name}: ${result.skipped ?? result.error ?? `p50 ${result.p50Ms} ms, baseline ${result.baseline?.p50Ms} ms`}`);
      scenarios.push(result);
    }
    const baseline = { name: 'bare DynamoDB Local GetItem (SDK), all', ...percentiles(allBaseline) };
    return { targets: LATENCY_TARGET, requestsPerScenario: options.requests, baseline, scenarios };
  } finally {
    await platform.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function loadScenarios(): Promise<Scenario[]> {
  const dir = fileURLToPath(new URL('./scenarios/', import.meta.url));
  const files = readdirSync(dir).filter((file) => file.endsWith('.ts')).sort();
  const modules = await Promise.all(files.map((file) => import(pathToFileURL(join(dir, file)).href) as Promise<{ scenarios?: Scenario[] }>));
  return modules.flatMap((module) => module.scenarios ?? []);
}

/**
 * One GetItem before each request: the machine's load drifts over minutes, so a scenario is compared with
 * the baseline measured under the same conditions, not with one measured earlier.
 */
async function runScenario(
  scenario: Scenario,
  context: BenchContext,
  apiUrl: string,
  n: number,
  getItem: () => Promise<number>,
  allBaseline: number[],
): Promise<ScenarioResult> {
  const routes = new Set(catalog.routes.map((route) => `${route.method} ${route.path}`));
  const missing = scenario.needs.filter((route) => !routes.has(route));
  if (missing.length > 0) return { name: scenario.name, skipped: `no route ${missing.join(', ')}` };
  try {
    const prepared = await scenario.prepare(context);
    const ok = (status: number) => (prepared.expectStatus ? prepared.expectStatus.includes(status) : status >= 200 && status < 300);
    const durations: number[] = [];
    const baselineDurations: number[] = [];
    const calls: Record<string, number>[] = [];
    for (let i = -WARMUP; i < n; i++) {
      const baselineMs = await getItem();
      const request = prepared.request(i);
      takeSdkCalls();
      const started = performance.now();
      const response = await sendRaw(apiUrl, request);
      const elapsed = performance.now() - started;
      const made = takeSdkCalls();
      if (!ok(response.status)) throw new Error(`${request.method} ${request.path} answered ${response.status}: ${response.text.slice(0, 200)}`);
      if (i < 0) continue;
      durations.push(elapsed);
      baselineDurations.push(baselineMs);
      calls.push(made);
    }
    allBaseline.push(...baselineDurations);
    const timing = percentiles(durations);
    const baseline = percentiles(baselineDurations);
    const p50OverBaseline = round(timing.p50Ms / baseline.p50Ms);
    const callsPerRequest = callStatistics(calls);
    const callsOk = scenario.maxCalls && Object.entries(scenario.maxCalls).every(([name, limit]) => (callsPerRequest[name]?.max ?? 0) <= limit);
    return {
      name: scenario.name,
      ...timing,
      callsPerRequest,
      callPatterns: patterns(calls),
      maxCalls: scenario.maxCalls,
      baseline,
      p50OverBaseline,
      pass: { latency: p50OverBaseline <= LATENCY_TARGET.maxP50OverBaseline, calls: callsOk },
    };
  } catch (error) {
    return { name: scenario.name, error: (error as Error).message };
  }
}

/** A timed bare SDK GetItem of a 200-byte item on the same DynamoDB Local. */
async function getItemBaseline(client: DynamoDBClient): Promise<() => Promise<number>> {
  const Key = { PK: { S: 'BENCH#baseline' }, SK: { S: 'BENCH' } };
  await client.send(new PutItemCommand({ TableName: LOCAL_NAMES.tableName, Item: { ...Key, entityType: { S: 'Bench' }, payload: { S: 'x'.repeat(200) } } }));
  return async () => {
    const started = performance.now();
    await client.send(new GetItemCommand({ TableName: LOCAL_NAMES.tableName, Key }));
    return performance.now() - started;
  };
}

/** One request, read to the last byte (what the measured loop times). */
async function sendRaw(apiUrl: string, request: BenchRequest): Promise<{ status: number; headers: Headers; text: string }> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] ??= 'application/json';
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const response = await fetch(`${apiUrl}${request.path}`, { method: request.method, headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function send(apiUrl: string, request: BenchRequest): Promise<BenchResponse> {
  const response = await sendRaw(apiUrl, request);
  let body: unknown;
  try {
    body = response.text ? JSON.parse(response.text) : undefined;
  } catch {
    body = undefined;
  }
  return { ...response, body };
}

/** Nearest-rank percentiles. */
function percentiles(durations: number[]): Timing {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  return { n: sorted.length, p50Ms: round(at(0.5)), p99Ms: round(at(0.99)) };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const serviceOf = (operation: string) => operation.split('.')[0];

/**
 * Median and max calls per request, by service (`DynamoDB`) and by operation (`DynamoDB.Query`). Consumers
 * triggered by the outbox run in this process too and could land calls in a later request's window; the
 * call patterns show when that happens.
 */
function callStatistics(calls: Record<string, number>[]): Record<string, { median: number; max: number }> {
  const names = new Set(['DynamoDB', 'KMS', ...calls.flatMap((made) => Object.keys(made).flatMap((op) => [op, serviceOf(op)]))]);
  const countOf = (made: Record<string, number>, name: string) =>
    Object.entries(made).reduce((sum, [op, count]) => sum + (op === name || serviceOf(op) === name ? count : 0), 0);
  return Object.fromEntries(
    [...names].sort().map((name) => {
      const counts = calls.map((made) => countOf(made, name)).sort((a, b) => a - b);
      return [name, { median: counts[Math.floor((counts.length - 1) / 2)] ?? 0, max: counts.at(-1) ?? 0 }];
    }),
  );
}

function patterns(calls: Record<string, number>[]): Array<{ operations: Record<string, number>; requests: number }> {
  const seen = new Map<string, number>();
  for (const made of calls) {
    const key = JSON.stringify(Object.fromEntries(Object.entries(made).sort()));
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].sort((a, b) => b[1] - a[1]).map(([key, requests]) => ({ operations: JSON.parse(key) as Record<string, number>, requests }));
}
