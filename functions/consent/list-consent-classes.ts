import * as z from 'zod/mini';
import { CONSENT_CLASS_SORTS, listConsentClasses, parseConsentClassSort } from '../../shared/admin/consent-classes.js';
import { httpHandler } from '../../shared/platform/http.js';

const positiveInt = (fallback: number, max: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(max)), fallback);

const query = z.object({
  pageSize: positiveInt(16, 1000),
  pageNumber: positiveInt(1, 100000),
  sort: z._default(z.enum(CONSENT_CLASS_SORTS), 'class:asc'),
});

/**
 * GET /profile-consent/v1/consentClasses: the dictionary, paged and sorted as in the Hybris API
 * (`sort` = `class|title` with optional `:asc|:desc`). Disabled classes are not offered: only the tenant
 * administrator and the platform operator see them.
 */
export const handler = httpHandler({ query }, async ({ query, principal }) => {
  const page = await listConsentClasses({
    pageNumber: query.pageNumber,
    pageSize: query.pageSize,
    sort: parseConsentClassSort(query.sort),
    offeredOnly: principal.kind !== 'tenant' && principal.kind !== 'system',
  });
  return { statusCode: 200, body: page.items, headers: { 'X-Total-Count': String(page.total) } };
});
