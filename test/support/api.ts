import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadIssuer, type LocalIssuer } from '../../infra/local/issuer.js';
import { LOCAL_NAMES } from '../../infra/local/names.js';
import { checkAgainstDescription } from './openapi-check.js';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  readonly body: any;
  readonly text: string;
}

export const apiUrl = (): string => {
  const url = process.env.MYDATA_API_URL;
  if (!url) throw new Error('MYDATA_API_URL is not set: the jest globalSetup starts the local platform');
  return url;
};

/** One HTTP call to the local gateway; the body is sent as JSON unless `rawBody` is given. */
export async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${apiUrl()}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const answer = { status: response.status, headers: response.headers, body: parsed, text };
  // Every answer is checked against docs/api/mydata-openapi.json: an undescribed route, status or shape fails the test.
  checkAgainstDescription(method, path, answer);
  return answer;
}

let issuer: Promise<LocalIssuer> | undefined;

export interface TokenClaims {
  principal: 'guest' | 'anonymous' | 'partner' | 'tenant' | 'system';
  tenant?: string;
  sub?: string;
  partner?: string;
  client?: string;
  scope?: string;
  givenName?: string;
  familyName?: string;
  expiresIn?: string | number;
}

/** A token signed by the local issuer, with the claim names of the brief. */
export async function tokenFor(claims: TokenClaims): Promise<string> {
  issuer ??= loadIssuer(process.env.MYDATA_ISSUER_KEY_FILE);
  const payload: Record<string, string> = { principal: claims.principal, sub: claims.sub ?? `${claims.principal}-${randomBytes(4).toString('hex')}` };
  if (claims.tenant) payload.tenant = claims.tenant;
  if (claims.partner) payload.partner_id = claims.partner;
  if (claims.client) payload.client_id = claims.client;
  if (claims.scope) payload.scope = claims.scope;
  if (claims.givenName) payload.given_name = claims.givenName;
  if (claims.familyName) payload.family_name = claims.familyName;
  return (await issuer).sign(payload, claims.expiresIn ?? '1h');
}

export const systemToken = () => tokenFor({ principal: 'system', sub: 'test-operator' });

/** A tenant name no other test uses, so tests never need to wipe tables. */
export function uniqueTenant(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`.toLowerCase();
}

export async function onboardTenant(tenant: string): Promise<{ rootPartnerId: string; administratorPartnerId: string }> {
  const response = await call('PUT', `/admin/v1/tenants/${tenant}`, {
    token: await systemToken(),
    body: {
      name: `Tenant ${tenant}`,
      rootPartner: { name: `${tenant} GmbH` },
      administrator: { vorname: 'Ada', nachname: 'Admin', email: `admin@${tenant}.example` },
    },
  });
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(`onboarding ${tenant} answered ${response.status}: ${response.text}`);
  }
  return response.body;
}

/** Polls until `probe` returns something truthy (for asynchronous, event-driven effects). */
export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}

export interface BusEnvelope {
  id: string;
  source: string;
  'detail-type': string;
  time: string;
  detail: Record<string, unknown> & { tenant?: string; eventId?: string };
}

/** Events the local bus received (its bounded archive), newest last. */
export async function busEvents(): Promise<BusEnvelope[]> {
  const response = await fetch(`${process.env.MYDATA_EVENTS_URL}/_local/events`);
  return (await response.json()) as BusEnvelope[];
}

export async function deadLetters(): Promise<unknown[]> {
  const response = await fetch(`${process.env.MYDATA_EVENTS_URL}/_local/dead-letters`);
  return (await response.json()) as unknown[];
}

/** Direct table access for assertions on what was (not) written. */
let dynamo: DynamoDBDocumentClient | undefined;
export function testDynamo(): DynamoDBDocumentClient {
  dynamo ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: process.env.MYDATA_DYNAMODB_URL,
      region: LOCAL_NAMES.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  return dynamo;
}

afterAll(() => {
  dynamo?.destroy();
  dynamo = undefined;
});

export const tableNames = { data: LOCAL_NAMES.tableName, keys: LOCAL_NAMES.keyTableName };
