import type * as z from 'zod/mini';
import { invalid } from '../../shared/platform/errors.js';
import { type Linkable, link } from '../../shared/platform/links.js';
import { httpHandler, type HttpRequest, type HttpResult, type HttpSpec } from '../../shared/platform/http.js';
import type { PartnerView } from '../../shared/partner/access.js';
import { type CallerRef, partnerCaller } from '../../shared/partner/caller.js';
import { partnerBody, versionOf } from '../../shared/partner/representation.js';

type Schema = z.ZodMiniType | undefined;

/** Bodies of the partner API are small; anything beyond is refused with a 400 naming the limit. */
export const PARTNER_MAX_BODY_BYTES = 64 * 1024;
/** Let the platform hand over bodies up to Lambda's payload limit, so ours above can answer 400, not 413. */
const TRANSPORT_MAX_BODY_BYTES = 6 * 1024 * 1024;

/** The http stack plus what every partner endpoint needs: the calling partner and the body limit. */
export function partnerHandler<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(
  spec: HttpSpec<P, Q, B>,
  run: (request: HttpRequest<P, Q, B>, caller: CallerRef) => Promise<HttpResult>,
) {
  return httpHandler({ ...spec, maxBodyBytes: TRANSPORT_MAX_BODY_BYTES }, async (request) => {
    const raw = request.event.body ?? '';
    const bytes = request.event.isBase64Encoded ? Buffer.from(raw, 'base64').length : Buffer.byteLength(raw, 'utf8');
    if (bytes > PARTNER_MAX_BODY_BYTES) throw invalid(`Request body exceeds ${PARTNER_MAX_BODY_BYTES} bytes`, 'BodyTooLarge');
    return run(request, partnerCaller(request.principal));
  });
}

/** The absolute link of a partner (also its `Location` after creation). */
export const partnerLocation = (request: Linkable, partnerId: string) => link(request, `/v2/partner/${partnerId}`);

/** A Partner body with its version (the ETag that If-Match on PATCH names). */
export function partnerResult(view: PartnerView, statusCode = 200, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, body: partnerBody(view), headers, version: versionOf(view.record) };
}

export function pageParams(query: { size?: string; after?: string; before?: string }) {
  return { size: Math.min(Number(query.size ?? 50), 500), after: query.after, before: query.before };
}
