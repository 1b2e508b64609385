import * as z from 'zod/mini';
import { type GuestCaller, guestCaller } from '../../shared/profile/caller.js';
import { PARTNER_DATA } from '../../shared/profile/keys.js';
import { ENTITY_TYPE_PATTERN } from '../../shared/profile/partner-data.js';
import { type Linkable, link } from '../../shared/platform/links.js';
import type { Principal } from '../../shared/platform/principal.js';

export { tenantParam } from '../../shared/platform/tenant-name.js';

/** What every profile handler shares: the name parameter, the guest caller, and absolute links. */

/** Object names: letters, digits, `.`, `_`, `-`; no path characters, no `#`, at most 128 characters. */
export const nameParam = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'not a partner-data name (letters, digits, . _ -; up to 128)'));
/**
 * Entity types of the data API (`/data/{entityType}/…`): a schema name of the tenant's metamodel that fits a path
 * and key segment (no `/`, `#`, spaces). Whether the tenant has it is the domain's check (404 `SchemaNotFound`).
 */
export const entityTypeParam = z.string().check(z.regex(ENTITY_TYPE_PATTERN, 'not an entity type (a letter, then letters, digits, . _ -; up to 64)'));
export const sharingIdParam = z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'not a sharing identifier'));

export const PROFILE_BASE = '/profile/v1';

/** The signed-in guest (with the token's `iat` from the principal: a token issued after the guest ended a relation renews it). */
export const guestOf = (request: { principal: Principal }): GuestCaller => guestCaller(request.principal);

/** An absolute link below `/profile/v1`. */
export const profileLink = (request: Linkable, path: string) => link(request, `${PROFILE_BASE}${path}`);
/** Partner data keeps its `/partnerdata/{name}` address; every other type is `/data/{entityType}/{name}`. */
export const objectLink = (request: Linkable, name: string, entityType: string = PARTNER_DATA) =>
  profileLink(request, entityType === PARTNER_DATA ? `/partnerdata/${encodeURIComponent(name)}` : `/data/${encodeURIComponent(entityType)}/${encodeURIComponent(name)}`);
