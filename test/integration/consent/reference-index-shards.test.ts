/**
 * Decision 0206: the tenant's reference index (GSI1) is sharded, so reference creations spread their index
 * writes over `REFERENCE_INDEX_SHARDS` partitions instead of one per tenant. A throttling-aware counter (a
 * wrapped client) records every index write our code sends, by index partition, and what the hottest
 * partition implies for the tenant's creations per second under DynamoDB's ~1,000 writes/s per partition;
 * a Query per shard counts the index entries; the store's readers list every reference exactly once.
 */
import type { Caller } from '../../../shared/consent/access.js';
import { completeReference } from '../../../shared/consent/creation.js';
import { referenceIndexKeys, REFERENCE_INDEX_SHARDS, referencesIndexShardPartition, REFERENCE_SK, TENANT_REF } from '../../../shared/consent/keys.js';
import { requestReference } from '../../../shared/consent/references.js';
import { listTenantReferences, listTenantReferencesPage } from '../../../shared/consent/store.js';
import { dynamoClient, kmsClient } from '../../../shared/platform/clients.js';
import { partition, queryAll, type TableClient, useClient } from '../../../shared/platform/table/index.js';
import { GSI1 } from '../../../shared/platform/table-design.js';
import { tenantWithMetamodel, type TestTenant, useLocalPlatformFromTests, VIEW } from './support.js';

useLocalPlatformFromTests();

const CREATIONS = 200;
/** DynamoDB's write limit of one partition (of the table or of an index), in writes of ≤ 1 KB a second. */
const PARTITION_WRITES_PER_SECOND = 1000;
const THROTTLED = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded']);

type Item = Record<string, unknown>;
type Write = { Put?: { Item?: Item }; Update?: { Key?: Item; ExpressionAttributeValues?: Item }; Delete?: { Key?: Item } };

/**
 * Counts the index writes a command causes, by index partition: a put writes the entries its item's
 * GSI keys name; an update or delete of a reference item rewrites its index entry (projection ALL), which
 * lives where `referenceIndexKeys` puts it. Throttling errors are counted (and passed on).
 */
function indexWriteCounter() {
  const writes = new Map<string, number>();
  let throttled = 0;
  const add = (pk: unknown) => {
    if (typeof pk === 'string') writes.set(pk, (writes.get(pk) ?? 0) + 1);
  };
  const referenceOf = (key: Item | undefined) => {
    const match = key && key.SK === REFERENCE_SK ? /^T#(.+?)#REF#(.+)$/.exec(String(key.PK)) : null;
    return match ? referenceIndexKeys(match[1], match[2]).GSI1PK : undefined;
  };
  const count = (write: Write) => {
    if (write.Put?.Item) {
      add(write.Put.Item.GSI1PK);
      add(write.Put.Item.GSI2PK);
    }
    if (write.Update) add(write.Update.ExpressionAttributeValues?.[':g1pk'] ?? referenceOf(write.Update.Key));
    if (write.Delete) add(referenceOf(write.Delete.Key));
  };
  const real = dynamoClient();
  const client: TableClient = {
    send: (async (command: { input: Item; constructor: { name: string } }) => {
      const input = command.input;
      const name = command.constructor.name;
      if (name === 'TransactWriteCommand') for (const item of input.TransactItems as Write[]) count(item);
      if (name === 'PutCommand') count({ Put: { Item: input.Item as Item } });
      if (name === 'UpdateCommand') count({ Update: input as Write['Update'] });
      try {
        return await real.send(command as never);
      } catch (error) {
        if (THROTTLED.has((error as Error).name)) throttled++;
        throw error;
      }
    }) as TableClient['send'],
  };
  return { client, writes, throttled: () => throttled };
}

let t: TestTenant;
const anonymous = (): Caller => ({ principal: { kind: 'anonymous', sub: 'visitor', tenant: t.tenant, scopes: new Set([VIEW]) } });

beforeAll(async () => {
  t = await tenantWithMetamodel('shard');
});

afterAll(() => {
  dynamoClient().destroy();
  kmsClient().destroy();
});

describe('the sharded reference index (decision 0206)', () => {
  const created: string[] = [];
  const counter = indexWriteCounter();

  beforeAll(async () => {
    const restore = useClient(counter.client);
    try {
      for (let i = 0; i < CREATIONS; i += 10) {
        await Promise.all(Array.from({ length: 10 }, async () => {
          const { id } = await requestReference(t.tenant, anonymous(), {});
          await completeReference(t.tenant, id); // the activation rewrites the index entry too
          created.push(id);
        }));
      }
    } finally {
      restore();
    }
  }, 120_000);

  it('spreads the index entries of 200 references over every shard, none holding more than twice the mean', async () => {
    const perShard = await Promise.all(Array.from({ length: REFERENCE_INDEX_SHARDS }, async (_, shard) =>
      (await queryAll('main', partition(referencesIndexShardPartition(t.tenant, shard), undefined, GSI1))).length));
    const total = perShard.reduce((a, b) => a + b, 0);
    expect(total).toBe(CREATIONS + 1); // and the TENANT reference
    const mean = total / REFERENCE_INDEX_SHARDS;
    expect(Math.max(...perShard)).toBeLessThanOrEqual(2 * mean);
    expect(Math.min(...perShard)).toBeGreaterThan(0);
    // The old single partition holds nothing.
    expect(await queryAll('main', partition(`T#${t.tenant}#REFERENCES`, undefined, GSI1))).toEqual([]);
  });

  it('takes no write per creation on any single per-tenant index key: the hottest partition allows the tenant ~8,000 creations a second', () => {
    const tenantKeys = [...counter.writes].filter(([pk]) => pk.startsWith(`T#${t.tenant}#`));
    const total = tenantKeys.reduce((n, [, w]) => n + w, 0);
    const hottest = Math.max(...tenantKeys.map(([, w]) => w));
    // Every creation wrote the index once or twice (the pending reference; its activation, unless the local
    // platform's consumer activated it first), all on reference shards.
    expect(total).toBeGreaterThanOrEqual(CREATIONS);
    expect(total).toBeLessThanOrEqual(2 * CREATIONS);
    expect(tenantKeys.every(([pk]) => pk.startsWith(`T#${t.tenant}#REFERENCES#`))).toBe(true);
    expect(new Set(tenantKeys.map(([pk]) => pk)).size).toBe(REFERENCE_INDEX_SHARDS);
    expect(hottest).toBeLessThan(CREATIONS);
    expect(hottest).toBeLessThanOrEqual((2 * total) / REFERENCE_INDEX_SHARDS);
    // Creations a second at which the hottest partition reaches DynamoDB's limit, with this spread.
    const ceiling = (PARTITION_WRITES_PER_SECOND * CREATIONS) / hottest;
    const unsharded = (PARTITION_WRITES_PER_SECOND * CREATIONS) / total;
    expect(ceiling).toBeGreaterThanOrEqual((REFERENCE_INDEX_SHARDS / 2) * unsharded);
    expect(counter.throttled()).toBe(0);
  });

  it('lists every reference of the tenant exactly once, all at once and page by page', async () => {
    const all = await listTenantReferences(t.tenant);
    expect(all.map((r) => r.ref).sort()).toEqual([...created, TENANT_REF].sort());
    expect(all.find((r) => r.ref === TENANT_REF)?.kind).toBe('tenant');
    const paged: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listTenantReferencesPage(t.tenant, cursor, 40);
      expect(page.references.length).toBeLessThanOrEqual(Math.max(40, REFERENCE_INDEX_SHARDS));
      paged.push(...page.references.map((r) => r.ref));
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(paged.sort()).toEqual([...created, TENANT_REF].sort());
    expect(pages).toBeGreaterThanOrEqual(Math.ceil((CREATIONS + 1) / (40 + REFERENCE_INDEX_SHARDS)));
  });
});
