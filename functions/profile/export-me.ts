import { exportProfile } from '../../shared/profile/guest-view.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { guestOf } from './http-common.js';

/**
 * GET /profile/v1/me/export — everything stored about the guest in one JSON document (GDPR access and
 * portability): profile and items (decrypted where consent allows, else marked unreadable), consents and
 * their verified history, relations, shares given and imported. The guest's own pages only.
 */
export const handler = httpHandler({}, async (req) => {
  requireScope(req.principal, 'profile_data_read');
  const document = await exportProfile(guestOf(req));
  return {
    statusCode: 200,
    headers: { 'Content-Disposition': `attachment; filename="mydata-export-${document.tenant}.json"` },
    body: document,
  };
});
