import * as z from 'zod/mini';
import type { Caller } from '../../shared/consent/access.js';
import { SCHEMA_NAME_RULE, schemaNameFits } from '../../shared/consent/keys.js';
import { type Linkable, link } from '../../shared/platform/links.js';
import type { Principal } from '../../shared/platform/principal.js';

export { tenantParam } from '../../shared/platform/tenant-name.js';

/** What every consent handler shares: path parameter schemas, the caller, links and the leader header. */
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

/** The absolute link of a reference. */
export function referenceLink(request: Linkable, tenant: string, ref: string): string {
  return link(request, `/profile-consent/v1/${encodeURIComponent(tenant)}/consentReferences/${encodeURIComponent(ref)}`);
}

export const leaderHeaders = (leader: string) => ({ [LEADER_HEADER]: leader });
