import type { PageOf } from '../../shared/partner/paging.js';
import { type Linkable, link } from '../../shared/platform/links.js';

/** `ContentPartnerIds`: the page, and `next`/`prev` as links to the neighbouring pages when they exist. */
export function pageBody(req: Linkable, partnerId: string, list: string, page: PageOf, size: number) {
  const pageLink = (bound: 'after' | 'before', id: string) => link(req, `/v2/partner/${partnerId}/${list}?size=${size}&${bound}=${id}`);
  return {
    content: page.content,
    ...(page.nextAfter ? { next: pageLink('after', page.nextAfter) } : {}),
    ...(page.prevBefore ? { prev: pageLink('before', page.prevBefore) } : {}),
  };
}
