import * as z from 'zod/mini';
import { guestItem } from '../../shared/crm/pull.js';
import { httpHandler } from '../../shared/platform/http.js';
import { entityTypeParam, guestParam, partnerRead } from './http-common.js';

/** GET /profile/v1/crm/guests/{guest}/data/{entityType}/{itemId} — the object a notice names (`itemId`), decrypted, decided now. */
const params = z.object({ guest: guestParam, entityType: entityTypeParam, itemId: z.guid() });

export const handler = httpHandler({ params }, async (req) => {
  const item = await partnerRead(req, (caller, admitted) => guestItem(caller, req.params.guest, req.params.entityType, req.params.itemId, admitted));
  return { statusCode: 200, body: item, version: item.version };
});
