import * as z from 'zod/mini';
import { requireApp } from '../../shared/profile/caller.js';
import { shareObject } from '../../shared/profile/shares.js';
import { httpHandler } from '../../shared/platform/http.js';
import { requireScope } from '../../shared/platform/principal.js';
import { DATA_SHARE } from '../../shared/platform/scopes.js';
import { guestOf, nameParam, objectLink, profileLink } from './http-common.js';

/**
 * PUT /profile/v1/partnerdata/{name}/share — lets friends import a copy (optional `expiresAt`,
 * `maxImports`); repeating it returns the same active share (200), a new share answers 201.
 */
const params = z.object({ name: nameParam });
const body = z.strictObject({
  expiresAt: z.optional(z.iso.datetime({ offset: true })),
  maxImports: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(10_000))),
});

export const handler = httpHandler({ params, body }, async (req) => {
  requireScope(req.principal, DATA_SHARE);
  const expiresAt = req.body.expiresAt ? new Date(req.body.expiresAt).toISOString() : undefined;
  const { share, created } = await shareObject(requireApp(guestOf(req)), req.params.name, { expiresAt, maxImports: req.body.maxImports });
  return {
    statusCode: created ? 201 : 200,
    body: {
      sharingIdentifier: share.sharingIdentifier,
      importApiUrl: profileLink(req, `/import/${share.sharingIdentifier}`),
      shareObjectApiUrl: `${objectLink(req, share.name)}/share`,
      expiresAt: share.shareExpiresAt,
      maxImports: share.maxImports,
    },
  };
});
