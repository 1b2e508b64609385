import * as z from 'zod/mini';
import { listConsentClasses } from '../../shared/admin/consent-classes.js';
import { httpHandler } from '../../shared/platform/http.js';

const positiveInt = (fallback: number, max: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(max)), fallback);

const query = z.object({
  pageSize: positiveInt(16, 1000),
  pageNumber: positiveInt(1, 100000),
  sort: z._default(z.enum(['class:asc', 'class:desc']), 'class:asc'),
});

/** GET /profile-consent/v1/consentClasses: the dictionary, paged and sorted as in the Hybris API. */
export const handler = httpHandler({ query }, async ({ query }) => {
  const page = await listConsentClasses({
    pageNumber: query.pageNumber,
    pageSize: query.pageSize,
    descending: query.sort === 'class:desc',
  });
  return { statusCode: 200, body: page.items, headers: { 'X-Total-Count': String(page.total) } };
});
