/** Paging of the id lists (`administrierbare`, `uebernehmbare`) as `ContentPartnerIds` shows it. */
export interface PageRequest {
  readonly after?: string;
  readonly before?: string;
  readonly size: number;
}

export interface PageOf {
  readonly content: { partnerId: string }[];
  /** Read the next page after this id. */
  readonly nextAfter?: string;
  /** Read the previous page before this id. */
  readonly prevBefore?: string;
}

/**
 * Decides the links of one page read forwards (after a bound, or from the start) or backwards
 * (before a bound). Reading forwards from a bound implies a previous page; backwards, a next one.
 */
export function pageOf(ids: readonly string[], more: boolean, request: PageRequest): PageOf {
  const content = ids.map((partnerId) => ({ partnerId }));
  const first = ids[0];
  const last = ids[ids.length - 1];
  if (request.before !== undefined) {
    return { content, nextAfter: last, prevBefore: more ? first : undefined };
  }
  return {
    content,
    nextAfter: more && last ? last : undefined,
    prevBefore: request.after !== undefined && first ? first : undefined,
  };
}
