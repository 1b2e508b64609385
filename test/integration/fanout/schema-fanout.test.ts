import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { outboxKey } from '../../../shared/platform/outbox.js';
import { call, tableNames, testDynamo, waitFor } from '../../support/api.js';
import { BASE, enc, SCHEMAS, tenantWithMetamodel, type TestTenant, useLocalPlatformFromTests } from '../consent/support.js';
import { closeFanoutDynamo, consentRevisions, seedReferences } from './support.js';

/**
 * The schema fan-out pages with continuations (decision 0208): a metamodel change over a tenant of 2,000
 * references reaches every one through a chain of bounded invocations (`ConsentSchemaSyncContinued`
 * through the outbox, run by the platform's consumers), and a page run again hands on under the same
 * event id, so redeliveries never start a second chain. The full-size run is `npm run bench:fanout`.
 */
type SchemaSync = typeof import('../../../shared/consent/schema-sync.js');

const REFERENCES = 2_000;
let t: TestTenant;
let refs: string[];
let sync: SchemaSync;

beforeAll(async () => {
  useLocalPlatformFromTests();
  t = await tenantWithMetamodel('fanout');
  refs = await seedReferences(t.tenant, REFERENCES);
  sync = await import('../../../shared/consent/schema-sync.js');
}, 120_000);

afterAll(async () => {
  const { dynamoClient } = await import('../../../shared/platform/clients.js');
  dynamoClient().destroy();
  closeFanoutDynamo();
});

const outboxRow = async (eventId: string) => (await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: outboxKey(eventId) }))).Item;

describe('schema fan-out in pages', () => {
  it('a schema change reaches every reference through a chain of bounded pages; re-running a page hands on nothing new', async () => {
    const response = await call('PUT', `${BASE}/${t.tenant}/schemas/${enc(SCHEMAS.productViews)}`, {
      token: t.admin, body: { consentClass: 'ProductViews', owner: 'user', title: 'Views, paged', description: 'About it' },
    });
    expect(response.status).toBe(200);
    const current = await (await import('../../../shared/consent/store.js')).getSchema(t.tenant, SCHEMAS.productViews);
    const target = current!.revision!;

    // Completion: the platform's consumers (first page, then continuations) bring every row to the new revision.
    await waitFor(async () => [...(await consentRevisions(t.tenant, refs, SCHEMAS.productViews)).values()].every((r) => r === target), { timeoutMs: 150_000, intervalMs: 1_000 });

    // The same chain again, page by page in this process: each page bounded, the hand-overs are the
    // ones the consumers already put (same ids) and confirmed, so nothing new is published.
    const pages: Array<{ read: number; continuation?: string }> = [];
    let cursor: string | undefined;
    do {
      const page = await sync.syncSchemaPage(t.tenant, SCHEMAS.productViews, target, cursor);
      expect(page.read).toBeLessThanOrEqual(sync.SYNC_PAGE_SIZE);
      pages.push(page);
      cursor = page.cursor;
    } while (cursor);
    expect(pages.reduce((sum, page) => sum + page.read, 0)).toBeGreaterThanOrEqual(REFERENCES);
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(REFERENCES / sync.SYNC_PAGE_SIZE));
    for (const page of pages.slice(0, -1)) {
      const row = await outboxRow(page.continuation!);
      expect(row).toMatchObject({ detailType: 'ConsentSchemaSyncContinued', confirmBy: 'consumer', confirmedBy: 'consumer' });
      expect(row?.GSI1PK).toBeUndefined(); // confirmed: the sweeper will not re-publish it
    }
  }, 200_000);

  it('a chain started for an older revision stops at its next page', async () => {
    const store = await import('../../../shared/consent/store.js');
    const target = (await store.getSchema(t.tenant, SCHEMAS.productViews))!.revision!;
    const first = await sync.syncSchemaPage(t.tenant, SCHEMAS.productViews, target, undefined, 64);
    expect(first.read).toBeLessThanOrEqual(64);
    expect(first.cursor).toBeDefined();
    const stale = await sync.syncSchemaPage(t.tenant, SCHEMAS.productViews, target - 1, first.cursor, 64);
    expect(stale).toMatchObject({ superseded: true, read: 0 });
    expect(stale.continuation).toBeUndefined();
  });
});
