import type { PartnerNoticeKind } from './events.js';

/**
 * Who is told about a guest's change (issue 13, decision 0411): "data it is registered for — created by its own
 * apps, or of an entity type the tenant shares with partners related to the guest — and nothing else".
 * Pure functions over the cause, the guest's relations and the tenant's settings; no I/O.
 */

/** A domain event reduced to what the audience needs: ids, types, the creating partner. */
export interface Cause {
  /** The notice every recipient receives (a purge adds `purge.required`). */
  readonly notice: Exclude<PartnerNoticeKind, 'purge.required'>;
  readonly entityType?: string;
  readonly itemId?: string;
  readonly version?: number;
  /** The partner whose app created the object, or whose relation ended. */
  readonly creator?: string;
  /** Whether each recipient must delete what it holds (and gets a purge record). */
  readonly purge: boolean;
  /** The guest erased their profile: their relations are the tombstones erasure left (decision 0413). */
  readonly erased?: boolean;
}

/** A guest's relation as the audience sees it. */
export interface RelationView {
  readonly partnerId: string;
  readonly endedAt?: string;
  readonly erasedAt?: string;
}

export const isActive = (relation: RelationView) => relation.endedAt === undefined;
/**
 * Ended by the guest before any erasure: the live relation, or an erasure tombstone that kept the earlier end.
 * Such a relation has one purge of its own, whichever of `RelationEnded` and `ProfileErased` is handled first
 * (decision 0420): a purge never misses a partner, whatever order the causes arrive in.
 */
export const endedBeforeErasure = (relation: RelationView) => relation.endedAt !== undefined && relation.endedAt !== relation.erasedAt;

export interface AudienceInput {
  readonly cause: Cause;
  /** The relations to decide on (one page of the guest's relations). */
  readonly relations: readonly RelationView[];
  readonly sharedTypes: readonly string[];
  /** For a revoke of a type no one shares: the partners whose apps created objects of it in the guest's profile. */
  readonly creatorsOfType?: ReadonlySet<string>;
}

/** The partners among `relations` entitled to the cause's notice, each once, in the order given. */
export function recipients({ cause, relations, sharedTypes, creatorsOfType }: AudienceInput): string[] {
  const shared = cause.entityType !== undefined && sharedTypes.includes(cause.entityType);
  const entitled = (relation: RelationView): boolean => {
    switch (cause.notice) {
      case 'data.created':
      case 'data.changed':
      case 'data.deleted':
      case 'data.imported':
        return isActive(relation) && (shared || relation.partnerId === cause.creator);
      case 'consent.revoked':
        return isActive(relation) && (shared || (creatorsOfType?.has(relation.partnerId) ?? false));
      case 'relation.ended':
        // Only the partner whose relation ended, and only while it is still ended (a new sign-in renewed it);
        // after `DELETE /me` its tombstone answers (ended by the erasure itself: the erasure's purge covers it).
        return relation.partnerId === cause.creator && endedBeforeErasure(relation);
      case 'profile.erased':
        // `DELETE /me` ends every relation (tombstones): every one of them, also those ended before — their
        // purge is the relation end's (one id, written once), so a partner whose `RelationEnded` was not handled
        // yet is not missed. A deleted consent reference leaves the relations active.
        return relation.erasedAt !== undefined || isActive(relation);
    }
  };
  return [...new Set(relations.filter(entitled).map((relation) => relation.partnerId))];
}

/** Whether the cause can concern partners other than its creator: then every relation is read, page by page. */
export const fansOut = (cause: Cause, sharedTypes: readonly string[]): boolean =>
  cause.notice === 'profile.erased' ||
  cause.notice === 'consent.revoked' ||
  (cause.entityType !== undefined && sharedTypes.includes(cause.entityType) && cause.notice !== 'relation.ended');
