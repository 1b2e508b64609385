import * as z from 'zod/mini';
import { config } from '../../shared/platform/config.js';
import type { Caller } from '../../shared/consent/access.js';
import { SCHEMA_NAME_RULE, schemaNameFits } from '../../shared/consent/keys.js';
import type { Principal } from '../../shared/platform/principal.js';

/** What every consent handler shares: path parameter schemas, the caller, links and the leader header. */
export const tenantParam = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,62}$/i, 'not a tenant name'));
export const refParam = z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'not a consent reference'));
/** Bounded in UTF-8 bytes, as the DynamoDB keys it becomes part of (`MAX_SCHEMA_BYTES`). */
export const schemaParam = z.string().check(z.refine(schemaNameFits, SCHEMA_NAME_RULE));
export const classParam = z.string().check(z.minLength(1), z.maxLength(256));

export const LEADER_HEADER = 'Leading-Consent-Reference';
export const TOKEN_HEADER = 'consent-reference-token';

export function callerOf(request: { principal: Principal; headers: Readonly<Record<string, string>> }): Caller {
  return {
    principal: request.principal,
    referenceToken: request.headers[TOKEN_HEADER],
    hybrisUser: request.headers['hybris-user'],
  };
}

/** The absolute link of a reference (`PUBLIC_BASE_URL`, else the host the request came in on). */
export function referenceLink(origin: string, tenant: string, ref: string): string {
  const base = config().publicBaseUrl || origin;
  return `${base}/profile-consent/v1/${encodeURIComponent(tenant)}/consentReferences/${encodeURIComponent(ref)}`;
}

export const leaderHeaders = (leader: string) => ({ [LEADER_HEADER]: leader });
