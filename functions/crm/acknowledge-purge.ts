import * as z from 'zod/mini';
import { partnerCaller } from '../../shared/crm/caller.js';
import { acknowledgePurge } from '../../shared/crm/purges.js';
import { httpHandler } from '../../shared/platform/http.js';
import { purgeIdParam } from './http-common.js';

/**
 * POST /profile/v1/crm/purges/{purgeId}/acknowledgement — body `{"purgeId": "…"}`, signed with the partner's
 * subscription secret in `Mydata-Signature` over the exact bytes sent (docs/crm.md).
 */
const params = z.object({ purgeId: purgeIdParam });
const body = z.object({ purgeId: z.guid() });

/** The exact text the partner signed (the gateway may hand it over base64-encoded). */
const rawBody = (event: { body?: string; isBase64Encoded?: boolean }) =>
  event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');

export const handler = httpHandler({ params, body, maxBodyBytes: 4096 }, async (req) => {
  const caller = partnerCaller(req.principal);
  const outcome = await acknowledgePurge(caller, req.params.purgeId, req.body.purgeId, rawBody(req.event), req.headers['mydata-signature']);
  return { statusCode: outcome.recorded ? 201 : 200, body: { ...outcome.purge, recorded: outcome.recorded } };
});
