import type { PageOf } from '../../shared/partner/paging.js';
import { baseUrl, type RequestLike } from './http.js';

/** `ContentPartnerIds`: the page, and `next`/`prev` as links to the neighbouring pages when they exist. */
export function pageBody(req: RequestLike, partnerId: string, list: string, page: PageOf, size: number) {
  const link = (bound: 'after' | 'before', id: string) =>
    `${baseUrl(req)}/v2/partner/${partnerId}/${list}?size=${size}&${bound}=${id}`;
  return {
    content: page.content,
    ...(page.nextAfter ? { next: link('after', page.nextAfter) } : {}),
    ...(page.prevBefore ? { prev: link('before', page.prevBefore) } : {}),
  };
}
