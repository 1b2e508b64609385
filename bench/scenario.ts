/**
 * The shape of a latency scenario. Each file in bench/scenarios/ exports `scenarios: Scenario[]`;
 * bench/latency.ts loads every file there, so a context adds its scenarios without touching the runner.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface BenchRequest {
  readonly method: string;
  /** Path and query below the API base, e.g. `/profile-consent/v1/consentClasses?pageSize=16`. */
  readonly path: string;
  readonly token?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface BenchResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or undefined. */
  // biome-ignore lint/suspicious/noExplicitAny: scenarios read arbitrary JSON
  readonly body: any;
  readonly text: string;
}

/** What a scenario gets to prepare its data; one tenant is onboarded and the consent classes exist. */
export interface BenchContext {
  /** A tenant onboarded through `PUT /admin/v1/tenants/{tenant}` for this run. */
  readonly tenant: string;
  readonly rootPartnerId: string;
  readonly administratorPartnerId: string;
  /** Consent classes put through `PUT /admin/v1/consentClasses/{class}` (the seed's classes). */
  readonly consentClasses: readonly string[];
  /** One HTTP call to the local gateway (for setup; the runner times the measured requests itself). */
  call(request: BenchRequest): Promise<BenchResponse>;
  /** A token of the local issuer; claims as in the brief (`principal`, `sub`, `tenant`, `partner_id`, `client_id`, `scope`…). */
  token(claims: Readonly<Record<string, unknown>>): Promise<string>;
  systemToken(): Promise<string>;
  /** Direct table access for bulk seeding (not counted: it is not the platform's client). */
  readonly dynamo: DynamoDBDocumentClient;
  readonly tableNames: { readonly data: string; readonly keys: string };
}

export interface PreparedScenario {
  /** The i-th measured request (i from 0; warm-up requests use negative i). */
  request(i: number): BenchRequest;
  /** Statuses that count as success; default any 2xx. */
  readonly expectStatus?: readonly number[];
}

export interface Scenario {
  /** Shown in the table, e.g. `GET consents of a reference`. */
  readonly name: string;
  /** Routes (`METHOD /path` exactly as in infra/catalog) it needs; the scenario is skipped while one is missing. */
  readonly needs: readonly string[];
  /** Targets: at most this many calls per request (median), by service (`DynamoDB`, `KMS`) or operation (`DynamoDB.TransactWriteItems`). */
  readonly maxCalls?: Readonly<Record<string, number>>;
  prepare(context: BenchContext): Promise<PreparedScenario>;
}
