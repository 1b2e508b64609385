import * as z from 'zod/mini';
import { requireApp } from '../../shared/profile/caller.js';
import { importShare } from '../../shared/profile/imports.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_SHARE } from '../../shared/platform/scopes.js';
import { guestOf, objectLink, sharingIdParam } from './http-common.js';

/**
 * PUT /profile/v1/import/{sharingIdentifier} — a friend, through an app of the sharing partner, copies
 * the shared object as `{name}-{initials}` (201); importing again refreshes that copy (200).
 */
const params = z.object({ sharingIdentifier: sharingIdParam });

export const handler = httpHandler({ params }, async (req) => {
  requireScope(req.principal, DATA_SHARE);
  const { item, refreshed } = await importShare(requireApp(guestOf(req)), req.params.sharingIdentifier);
  return { statusCode: refreshed ? 200 : 201, body: { id: item.id, name: item.name, objectApiUrl: objectLink(req, item.name) } };
});
