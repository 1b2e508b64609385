import { pageOf } from '../../../shared/partner/paging.js';

describe('ContentPartnerIds paging', () => {
  it('the first page links only forwards, and only when more exist', () => {
    expect(pageOf(['AAA01', 'BBB02'], true, { size: 2 })).toEqual({
      content: [{ partnerId: 'AAA01' }, { partnerId: 'BBB02' }],
      nextAfter: 'BBB02',
      prevBefore: undefined,
    });
    expect(pageOf(['AAA01'], false, { size: 2 }).nextAfter).toBeUndefined();
  });

  it('a page read after a bound links back before its first id', () => {
    const page = pageOf(['CCC03'], false, { size: 2, after: 'BBB02' });
    expect(page.prevBefore).toBe('CCC03');
    expect(page.nextAfter).toBeUndefined();
  });

  it('a page read backwards links forwards, and back only when more exist', () => {
    const page = pageOf(['AAA01', 'BBB02'], false, { size: 2, before: 'CCC03' });
    expect(page).toMatchObject({ nextAfter: 'BBB02', prevBefore: undefined });
  });
});
