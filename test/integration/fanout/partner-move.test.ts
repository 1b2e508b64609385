import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { partnerKey } from '../../../shared/partner/keys.js';
import { outboxKey } from '../../../shared/platform/outbox.js';
import { tableNames, testDynamo, waitFor } from '../../support/api.js';
import { useLocalPlatformFromTests } from '../consent/support.js';
import { api } from '../partner/contract.js';
import { ALL_RECHTE, createPartner, grantEinstellungsrecht, newTenant, organisation, partnerToken, person, type Tenant } from '../partner/support.js';
import { closeFanoutDynamo, seedSubtree, storedPaths } from './support.js';

/**
 * A move answers at once and its descendants' paths are rewritten by a chain of bounded pages
 * (`PartnerPathRewriteContinued`, decision 0208); reads are correct while the chain runs, because they
 * correct a stale path from the ancestors' rows (decision 0101). Subtree: 10 teams of 100 persons (1,010
 * partners) below the moved partner; the 10,000-partner run is `npm run bench:fanout`.
 */
type PathRewrite = typeof import('../../../shared/partner/path-rewrite.js');

const TEAMS = 10;
const PER_TEAM = 100;
let t: Tenant;
let north: string;
let south: string;
let moved: string;
let descendants: Array<{ partnerId: string; parentId: string }>;
let rewrite: PathRewrite;

beforeAll(async () => {
  useLocalPlatformFromTests();
  t = await newTenant('fanmove');
  north = await createPartner(t.adminToken, t.root, organisation('Region Nord'));
  south = await createPartner(t.adminToken, t.root, organisation('Region Süd'));
  moved = await createPartner(t.adminToken, north, organisation('Filiale'));
  ({ partners: descendants } = await seedSubtree(t.tenant, moved, [t.root, north], TEAMS, PER_TEAM));
  rewrite = await import('../../../shared/partner/path-rewrite.js');
}, 120_000);

afterAll(async () => {
  const { dynamoClient } = await import('../../../shared/platform/clients.js');
  dynamoClient().destroy();
  closeFanoutDynamo();
});

const storedPath = async (id: string) => (await storedPaths(t.tenant, [id])).get(id)!;

describe('moving a large subtree', () => {
  it('answers at once; reads are right while the paths are rewritten; the chain completes in bounded pages', async () => {
    const southLead = await createPartner(t.adminToken, south, person('Sina', { rechte: ALL_RECHTE }));
    const northLead = await createPartner(t.adminToken, north, person('Nils', { rechte: ALL_RECHTE }));
    // Each lead administers its region (an explicit Einstellungsrecht), so it sees what lies below it.
    await Promise.all([grantEinstellungsrecht(t.tenant, southLead, south), grantEinstellungsrecht(t.tenant, northLead, north)]);
    const [southToken, northToken] = await Promise.all([partnerToken(t.tenant, southLead), partnerToken(t.tenant, northLead)]);
    const last = descendants[descendants.length - 1]; // the walk's last partner: rewritten by the chain's last page
    expect((await api('GET', `/v2/partner/${last.partnerId}`, { token: northToken })).status).toBe(200);
    expect((await api('GET', `/v2/partner/${last.partnerId}`, { token: southToken })).status).toBe(404);

    const started = Date.now();
    const response = await api('PUT', `/v2/partner/${moved}/parent`, { token: t.adminToken, body: { partnerId: south } });
    const answeredMs = Date.now() - started;
    expect(response.status).toBe(200);

    // Mid-rewrite: the stored path is still the old one before and after these reads, and every read is right.
    const staleBefore = (await storedPath(last.partnerId)).includes(north);
    expect((await api('GET', `/v2/partner/${last.partnerId}`, { token: southToken })).status).toBe(200);
    expect((await api('GET', `/v2/partner/${last.partnerId}`, { token: northToken })).status).toBe(404);
    const pfad = await api('GET', `/v2/partner/${last.partnerId}/pfad`, { token: t.adminToken });
    expect(pfad.body.content.map((p: { partnerId: string }) => p.partnerId)).toEqual([t.root, south, moved, last.parentId, last.partnerId]);
    expect((await api('PATCH', `/v2/partner/${south}`, { token: t.adminToken, body: { gesperrt: true } })).status).toBe(200);
    expect((await api('GET', `/v2/partner/${last.partnerId}`, { token: t.adminToken })).body.gesperrt).toBe(true);
    expect((await api('PATCH', `/v2/partner/${south}`, { token: t.adminToken, body: { gesperrt: false } })).status).toBe(200);
    const staleAfter = (await storedPath(last.partnerId)).includes(north);
    expect({ staleBefore, staleAfter }).toEqual({ staleBefore: true, staleAfter: true });
    expect(answeredMs).toBeLessThan(5_000);

    // Completion: every descendant's stored path is its new one.
    const ids = descendants.map((d) => d.partnerId);
    const expected = new Map<string, string[]>(descendants.map((d) => [d.partnerId, d.parentId === moved ? [t.root, south, moved] : [t.root, south, moved, d.parentId]]));
    await waitFor(async () => {
      const paths = await storedPaths(t.tenant, ids);
      return ids.every((id) => JSON.stringify(paths.get(id)) === JSON.stringify(expected.get(id)));
    }, { timeoutMs: 150_000, intervalMs: 1_000 });

    // The same chain again in this process: every page bounded, nothing left to write, and each hand-over
    // is the one the consumers already put and confirmed (same derived id): no second chain.
    const row = (await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: partnerKey(t.tenant, moved) }))).Item!;
    let cursor: string | undefined;
    let read = 0;
    let pages = 0;
    do {
      const page = await rewrite.rewritePathsPage(t.tenant, moved, String(row.moveId), cursor);
      expect(page.read + page.queries).toBeLessThanOrEqual(rewrite.PATH_PAGE_SIZE);
      expect(page.rewritten).toBe(0);
      if (page.continuation) {
        const handedOn = (await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: outboxKey(page.continuation) }))).Item;
        expect(handedOn).toMatchObject({ detailType: 'PartnerPathRewriteContinued', confirmedBy: 'consumer' });
      }
      read += page.read;
      pages += 1;
      cursor = page.cursor;
    } while (cursor);
    expect(read).toBe(descendants.length);
    expect(pages).toBeGreaterThan(1);
  }, 240_000);

  it('a chain of an earlier move stops: the later move walks the subtree itself', async () => {
    const page = await rewrite.rewritePathsPage(t.tenant, moved, '00000000-0000-4000-8000-000000000000');
    expect(page).toMatchObject({ superseded: true, read: 0 });
  });
});
