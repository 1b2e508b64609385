import * as z from 'zod/mini';
import { type PartnerCaller, partnerCaller } from '../../shared/crm/caller.js';
import { countedRead } from '../../shared/crm/rate.js';
import { cursorParam } from '../../shared/platform/cursor.js';
import type { Principal } from '../../shared/platform/principal.js';
import { ENTITY_TYPE_PATTERN } from '../../shared/profile/partner-data.js';

/** What the CRM pull handlers share: page parameters and the guest and type segments. */
export const pageQuery = (max: number, fallback: number) => ({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(max)), fallback),
  next: z.optional(cursorParam),
});
/** The guest as the partner knows it (token `sub`): 1–256 characters without control characters. */
export const guestParam = z.string().check(z.minLength(1), z.maxLength(256), z.regex(/^\P{Cc}+$/u, 'not a guest id'));
export const entityTypeParam = z.string().check(z.regex(ENTITY_TYPE_PATTERN, 'not an entity type (a letter, then letters, digits, . _ -; up to 64)'));
export const purgeIdParam = z.guid();

/** `Link: <…>; rel="next"` beside the body's `next` (decision 0042). */
export const nextLink = (request: { event: { rawPath?: string; rawQueryString?: string } }, next: string | undefined): Record<string, string> => {
  if (!next) return {};
  const query = new URLSearchParams(request.event.rawQueryString ?? '');
  query.set('next', next);
  return { Link: `<${request.event.rawPath ?? ''}?${query.toString()}>; rel="next"` };
};

/** Every pull read is the calling partner's, counted against its request rate in parallel with the read (decision 0404). */
export const partnerRead = <T>(req: { principal: Principal }, read: (caller: PartnerCaller, admitted: Promise<void>) => Promise<T>): Promise<T> => {
  const caller = partnerCaller(req.principal);
  return countedRead(caller, (admitted) => read(caller, admitted));
};
