import { CONSENT_MANAGE, CONSENT_VIEW, scopeClaim } from '../shared/platform/scopes.js';
/** Setup helpers for scenarios: everything through the public API, as an operator, tenant or guest would. */
import type { BenchContext, BenchRequest, BenchResponse } from './scenario.js';

export const CONSENT_SCOPES = scopeClaim(CONSENT_VIEW, CONSENT_MANAGE);

/** Calls the API and fails the setup on anything but the expected statuses (default 2xx). */
export async function must(context: BenchContext, request: BenchRequest, statuses?: readonly number[]): Promise<BenchResponse> {
  const response = await context.call(request);
  const ok = statuses ? statuses.includes(response.status) : response.status >= 200 && response.status < 300;
  if (!ok) throw new Error(`setup ${request.method} ${request.path} answered ${response.status}: ${response.text.slice(0, 200)}`);
  return response;
}

/** Onboards (or finds) a tenant of its own for a scenario file, so scenarios never share data. */
export async function onboard(context: BenchContext, tenant: string): Promise<{ rootPartnerId: string; administratorPartnerId: string }> {
  const body = { name: `Bench ${tenant}`, rootPartner: { name: `${tenant} GmbH` }, administrator: { vorname: 'Ada', nachname: 'Admin', email: `admin@${tenant}.example` } };
  return (await must(context, { method: 'PUT', path: `/admin/v1/tenants/${tenant}`, token: await context.systemToken(), body })).body;
}

export const tenantToken = (context: BenchContext, tenant: string) => context.token({ principal: 'tenant', tenant, sub: 'bench-admin', scope: CONSENT_SCOPES });

/** Puts consent classes into the (global) dictionary and `user` schemas into the tenant's metamodel. */
export async function metamodel(context: BenchContext, tenant: string, schemas: ReadonlyArray<{ schema: string; consentClass: string }>): Promise<void> {
  const system = await context.systemToken();
  for (const consentClass of new Set(schemas.map((s) => s.consentClass))) {
    await must(context, { method: 'PUT', path: `/admin/v1/consentClasses/${consentClass}`, token: system, body: { title: consentClass } });
  }
  const token = await tenantToken(context, tenant);
  for (const { schema, consentClass } of schemas) {
    const body = { consentClass, owner: 'user', title: schema, description: 'benchmark' };
    await must(context, { method: 'PUT', path: `/profile-consent/v1/${tenant}/schemas/${encodeURIComponent(schema)}`, token, body });
  }
}

/** A signed-in guest's consent reference, waited for until its asynchronous creation completed. */
export async function activeReference(context: BenchContext, tenant: string, sub: string): Promise<{ ref: string; token: string }> {
  const token = await context.token({ principal: 'guest', tenant, sub, scope: CONSENT_SCOPES });
  const created = await must(context, { method: 'POST', path: `/profile-consent/v1/${tenant}/consentReferences`, token, body: {} });
  const ref = created.body.id as string;
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const state = await context.call({ method: 'GET', path: `/profile-consent/v1/${tenant}/consentReferences/${ref}`, token });
    if (state.status === 200 && state.body?.status === 'active') return { ref, token };
  }
  throw new Error(`consent reference ${ref} did not become active within 15 s`);
}
