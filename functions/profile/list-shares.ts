import { listShares, shareSummary } from '../../shared/profile/shares.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_READ, DATA_SHARE } from '../../shared/platform/scopes.js';
import { guestOf, profileLink } from './http-common.js';

/** GET /profile/v1/shares — the guest's active shares (through an app: that app's) and who imported them. */
export const handler = httpHandler({}, async (req) => {
  requireScope(req.principal, DATA_SHARE, DATA_READ);
  const shares = await listShares(guestOf(req));
  return {
    statusCode: 200,
    body: {
      shares: shares.map((view) => ({
        ...shareSummary(view),
        expired: view.share.shareExpiresAt !== undefined && view.share.shareExpiresAt <= new Date().toISOString(),
        importCount: view.share.importCount,
        importApiUrl: profileLink(req, `/import/${view.share.sharingIdentifier}`),
      })),
    },
  };
});
