import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '../../../shared/consent/access.js';
import { referencePartition } from '../../../shared/consent/keys.js';
import { call, onboardTenant, systemToken, tableNames, testDynamo, tokenFor, uniqueTenant, waitFor } from '../../support/api.js';
import { CONSENT_MANAGE, CONSENT_VIEW } from '../../../shared/platform/scopes.js';

/** Setup of consent tests through the API: a tenant with a small metamodel, and tokens for its actors. */
export const BASE = '/profile-consent/v1';
export const VIEW = CONSENT_VIEW;
export const MANAGE = CONSENT_MANAGE;

/** The seed's schema names: URLs, sent URL-encoded in paths. */
export const SCHEMAS = {
  addedToCart: 'https://api.beta.yaas.io/metamodel/v1/context/commerce/AddedToCart',
  cart: 'https://api.beta.yaas.io/metamodel/v1/nodes/commerce/Cart',
  productViews: 'https://api.beta.yaas.io/metamodel/v1/relations/commerce/Session/commerce/Product/commerce/VIEWED/viewCount',
  captainzbik: 'https://api.beta.yaas.io/metamodel/v1/context/commerce/captainzbik',
  product: 'https://api.beta.yaas.io/metamodel/v1/nodes/commerce/Product',
} as const;
export const enc = encodeURIComponent;

let classesReady: Promise<void> | undefined;
/** The dictionary is global; these classes are put once per test file (idempotent). */
export function ensureClasses(): Promise<void> {
  classesReady ??= (async () => {
    const token = await systemToken();
    for (const name of ['CartEvents', 'ProductViews', 'comicbookview', 'Catalog']) {
      const response = await call('PUT', `/admin/v1/consentClasses/${name}`, { token, body: { title: name, description: `About ${name}` } });
      if (response.status >= 300) throw new Error(`consent class ${name}: ${response.status} ${response.text}`);
    }
  })();
  return classesReady;
}

export interface TestTenant {
  readonly tenant: string;
  readonly admin: string;
  guest(sub: string, scope?: string): Promise<string>;
  anonymous(scope?: string): Promise<string>;
}

export async function tenantWithMetamodel(prefix = 'c'): Promise<TestTenant> {
  await ensureClasses();
  const tenant = uniqueTenant(prefix);
  await onboardTenant(tenant);
  const admin = await tokenFor({ principal: 'tenant', tenant, sub: 'admin', scope: `${VIEW} ${MANAGE}` });
  const schemas: Array<[string, string, 'user' | 'tenant', boolean?]> = [
    [SCHEMAS.addedToCart, 'CartEvents', 'user'],
    [SCHEMAS.cart, 'CartEvents', 'user'],
    [SCHEMAS.productViews, 'ProductViews', 'user'],
    [SCHEMAS.captainzbik, 'comicbookview', 'user', false],
    [SCHEMAS.product, 'Catalog', 'tenant'],
  ];
  for (const [schema, consentClass, owner, grantedByDefault] of schemas) {
    const response = await call('PUT', `${BASE}/${tenant}/schemas/${enc(schema)}`, {
      token: admin,
      body: { consentClass, owner, title: `${schema.split('/').pop()} title`, description: 'About it', grantedByDefault },
    });
    if (response.status !== 201) throw new Error(`schema ${schema}: ${response.status} ${response.text}`);
  }
  return {
    tenant,
    admin,
    guest: (sub, scope = `${VIEW} ${MANAGE}`) => tokenFor({ principal: 'guest', tenant, sub, scope }),
    anonymous: (scope = VIEW) => tokenFor({ principal: 'anonymous', tenant, scope }),
  };
}

/** Waits until a reference's asynchronous creation has completed. */
export async function whenActive(tenant: string, ref: string, token: string, headers: Record<string, string> = {}) {
  return waitFor(async () => {
    const response = await call('GET', `${BASE}/${tenant}/consentReferences/${ref}`, { token, headers });
    return response.status === 200 && response.body.status === 'active' ? response.body : undefined;
  });
}

/** A guest's reference, created and active. */
export async function activeReference(t: TestTenant, token: string, body?: unknown) {
  const created = await call('POST', `${BASE}/${t.tenant}/consentReferences`, { token, body });
  if (created.status !== 201 && created.status !== 200) throw new Error(`create: ${created.status} ${created.text}`);
  const headers: Record<string, string> = created.body.consentReferenceToken ? { 'consent-reference-token': created.body.consentReferenceToken } : {};
  await whenActive(t.tenant, created.body.id, token, headers);
  return { ref: created.body.id as string, refToken: created.body.consentReferenceToken as string | undefined, headers };
}

/**
 * Points the domain modules in this test process at the local platform (the same variables the
 * platform gives its handlers), for tests that use the consent API of profile data directly.
 */
export function useLocalPlatformFromTests(): void {
  Object.assign(process.env, {
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: process.env.MYDATA_DYNAMODB_URL,
    AWS_ENDPOINT_URL_KMS: process.env.MYDATA_KMS_URL,
    TABLE_NAME: 'mydata-data',
    KEY_TABLE_NAME: 'mydata-keys',
    EVENT_BUS_NAME: 'mydata',
    KMS_KEY_ID: 'alias/mydata',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
}

/** How a call into the domain ended: the error's name, or 'no error'. */
export const failure = (promise: Promise<unknown>) => promise.then(() => 'no error', (error: Error) => error.name);

/** The sort keys of a reference's rows in the key table (its data key and schema keys), read directly. */
export const keyRows = async (tenant: string, ref: string) =>
  ((await testDynamo().send(new QueryCommand({
    TableName: tableNames.keys, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': referencePartition(tenant, ref) },
  }))).Items ?? []).map((row) => String(row.SK));

/** `POST …/consentReferences/{leader}/aliases`: merges `aliases` into `leader`. */
export const mergeReferences = (tenant: string, token: string, leader: string, aliases: string[]) =>
  call('POST', `${BASE}/${tenant}/consentReferences/${leader}/aliases`, { token, body: { aliases } });

/** The path of a schema of the tenant's metamodel. */
export const metamodelSchemaPath = (tenant: string, schema: string) => `${BASE}/${tenant}/schemas/${enc(schema)}`;

/** A signed-in guest with both consent scopes, as the domain sees the caller (tests calling the domain directly). */
export const guestCaller = (tenant: string, sub: string): Caller => ({ principal: { kind: 'guest', sub, tenant, scopes: new Set([VIEW, MANAGE]) } });
