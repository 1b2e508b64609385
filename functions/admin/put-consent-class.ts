import * as z from 'zod/mini';
import { putConsentClass } from '../../shared/admin/consent-classes.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requirePrincipal } from '../../shared/platform/principal.js';

const params = z.object({ class: z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/)) });
const body = z.object({
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  description: z._default(z.string().check(z.maxLength(2000)), ''),
  editable: z._default(z.boolean(), true),
  enabled: z._default(z.boolean(), true),
});

/** PUT /admin/v1/consentClasses/{class}: the platform operator maintains the class dictionary. */
export const handler = httpHandler({ params, body }, async ({ params, body, principal }) => {
  requirePrincipal(principal, 'system');
  const entry = { class: params.class, ...body };
  const { created } = await putConsentClass(entry);
  return { statusCode: created ? 201 : 200, body: entry };
});
