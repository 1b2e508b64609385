import * as z from 'zod/mini';
import { putMe } from '../../shared/profile/me.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_WRITE } from '../../shared/platform/scopes.js';
import { guestOf } from './http-common.js';

/** PUT /profile/v1/me — replaces the guest's profile (a `Person` item; consent for `Person` must be granted). */
const text = (max: number) => z.optional(z.string().check(z.minLength(1), z.maxLength(max)));
const body = z.strictObject({
  givenName: text(200),
  familyName: text(200),
  email: z.optional(z.email()),
  phone: z.optional(z.string().check(z.regex(/^\+?[0-9 ()/-]{3,32}$/, 'not a phone number'))),
  birthDate: z.optional(z.iso.date()),
  locale: z.optional(z.string().check(z.regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'not a locale like de-CH'))),
  address: z.optional(z.strictObject({ street: text(200), postalCode: text(16), city: text(200), country: text(2) })),
});

export const handler = httpHandler({ body }, async (req) => {
  requireScope(req.principal, DATA_WRITE);
  const { view, created } = await putMe(guestOf(req), req.body);
  return { statusCode: created ? 201 : 200, body: view };
});
