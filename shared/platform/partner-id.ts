import * as z from 'zod/mini';

/**
 * How a partner id may look wherever it comes from (a token's `partner_id`, a `{partnerId}` path parameter):
 * 1 to 64 letters, digits, `_` or `-`. It becomes a key segment (`T#<tenant>#PARTNER#<id>…`), so nothing that
 * could blur segments (`#`, spaces, control characters) ever gets that far. One definition for every context.
 */
export const PARTNER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const partnerIdParam = z.string().check(z.regex(PARTNER_ID_PATTERN, 'not a partner id'));
