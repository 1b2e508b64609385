import * as z from 'zod/mini';

/**
 * How a tenant is named, the rule the operator onboards it with (`PUT /admin/v1/tenants/{tenant}`): a lower-case
 * letter, then 2 to 39 lower-case letters, digits or `-`. Every `{tenant}` path parameter of every context uses
 * it, so a name no tenant can have is a 400 everywhere (decision 0070).
 */
export const TENANT_NAME_PATTERN = /^[a-z][a-z0-9-]{2,39}$/;

export const tenantParam = z.string().check(z.regex(TENANT_NAME_PATTERN, 'not a tenant name'));
