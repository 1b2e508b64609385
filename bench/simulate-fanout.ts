/**
 * `npm run bench -- --only fanout [--references N] [--partners N]` (or `tsx bench/simulate-fanout.ts`):
 * the paged fan-outs of decision 0208 at full size, on a DynamoDB Local of their own. Seeds a tenant with
 * N references (BatchWriteItem) and a moved partner with a subtree of N partners, then drives the real
 * consumers (`functions/consent/on-schema-changed.ts` → `on-schema-sync-continued.ts`, the move service
 * → `functions/partner/on-path-rewrite-continued.ts`) the way the bus would: each continuation is read
 * back from the outbox's due index and handed to its consumer, one invocation after the other. Reports the
 * work per invocation (SDK calls, counted by the platform's client), its duration, completion and throughput.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

export interface ChainFigures {
  readonly items: number;
  readonly seedSeconds: number;
  readonly invocations: number;
  readonly pageSize: number;
  /** Per invocation: the largest number of items written or read, SDK calls, and the longest duration. */
  readonly maxItemsPerInvocation: number;
  readonly maxCallsPerInvocation: number;
  readonly maxInvocationMs: number;
  readonly medianInvocationMs: number;
  readonly totalSeconds: number;
  readonly itemsPerSecond: number;
  readonly complete: boolean;
}

export interface FanoutResults {
  readonly schema: ChainFigures;
  readonly move: ChainFigures & { readonly moveAnsweredMs: number };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const lambdaContext = { functionName: 'simulate-fanout', awsRequestId: 'sim', getRemainingTimeInMillis: () => 900_000 } as unknown as Context;

export async function simulateFanout(options: { references: number; partners: number; log: (line: string) => void }): Promise<FanoutResults> {
  const { startDynamoDbLocal, ensureTable } = await import('../infra/local/dynamodb.js');
  const { LOCAL_NAMES } = await import('../infra/local/names.js');
  const { mainTable, keyTable } = await import('../shared/platform/table-design.js');
  const dynamo = await startDynamoDbLocal({});
  try {
    await ensureTable(dynamo.client, mainTable, LOCAL_NAMES.tableName);
    await ensureTable(dynamo.client, keyTable, LOCAL_NAMES.keyTableName);
    Object.assign(process.env, {
      AWS_REGION: LOCAL_NAMES.region, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
      MYDATA_DYNAMODB_URL: dynamo.url, TABLE_NAME: LOCAL_NAMES.tableName, KEY_TABLE_NAME: LOCAL_NAMES.keyTableName, EVENT_BUS_NAME: LOCAL_NAMES.eventBusName,
      KMS_KEY_ID: 'alias/mydata', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_TRACE_ENABLED: 'false', POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    const schema = await schemaChain(options.references, options.log);
    const move = await moveChain(options.partners, options.log);
    return { schema, move };
  } finally {
    await dynamo.stop();
  }
}

/** The unconfirmed continuation of `detailType` for `tenant` in the outbox's due index (at most one: each consumer confirms its own). */
async function nextContinuation(detailType: string, tenant: string): Promise<Record<string, unknown> | undefined> {
  const { fanoutDynamo: testDynamo } = await import('../test/integration/fanout/support.js');
  const tableNames = { data: process.env.TABLE_NAME! };
  const { OUTBOX_DUE_SHARDS, outboxDuePartition, routedDetailFromRow } = await import('../shared/platform/outbox.js');
  for (let shard = 0; shard < OUTBOX_DUE_SHARDS; shard++) {
    const out = await testDynamo().send(new QueryCommand({
      TableName: tableNames.data, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': outboxDuePartition(shard) },
    }));
    for (const row of out.Items ?? []) {
      if (row.detailType !== detailType) continue;
      const detail = routedDetailFromRow(row as never) as Record<string, unknown>;
      if (detail.tenant === tenant) return detail;
    }
  }
  return undefined;
}

const busEvent = (source: string, detailType: string, detail: Record<string, unknown>) =>
  ({ version: '0', id: String(detail.eventId), source, 'detail-type': detailType, account: '000000000000', time: new Date().toISOString(), region: 'eu-central-1', resources: [], detail }) as never;

interface Invocation {
  readonly items: number;
  readonly calls: number;
  readonly ms: number;
}

/** Runs the first invocation, then every continuation the outbox holds, one after the other. */
async function driveChain(first: () => Promise<void>, detailType: string, tenant: string, consume: (detail: Record<string, unknown>) => Promise<void>, items: (calls: Record<string, number>) => number) {
  const { takeSdkCalls } = await import('../shared/platform/sdk-calls.js');
  const invocations: Invocation[] = [];
  const run = async (invoke: () => Promise<void>) => {
    takeSdkCalls();
    const started = performance.now();
    await invoke();
    const ms = performance.now() - started;
    const calls = takeSdkCalls();
    invocations.push({ items: items(calls), calls: Object.values(calls).reduce((a, b) => a + b, 0), ms });
  };
  const started = performance.now();
  await run(first);
  for (;;) {
    const next = await nextContinuation(detailType, tenant);
    if (!next) break;
    await run(() => consume(next));
  }
  return { invocations, seconds: (performance.now() - started) / 1000 };
}

function figures(itemsTotal: number, seedSeconds: number, pageSize: number, chain: { invocations: Invocation[]; seconds: number }, complete: boolean): ChainFigures {
  return {
    items: itemsTotal,
    seedSeconds: Math.round(seedSeconds),
    invocations: chain.invocations.length,
    pageSize,
    maxItemsPerInvocation: Math.max(...chain.invocations.map((i) => i.items)),
    maxCallsPerInvocation: Math.max(...chain.invocations.map((i) => i.calls)),
    maxInvocationMs: Math.round(Math.max(...chain.invocations.map((i) => i.ms))),
    medianInvocationMs: Math.round(median(chain.invocations.map((i) => i.ms))),
    totalSeconds: Math.round(chain.seconds * 10) / 10,
    itemsPerSecond: Math.round(itemsTotal / chain.seconds),
    complete,
  };
}

async function schemaChain(references: number, log: (line: string) => void): Promise<ChainFigures> {
  const { seedReferences, consentRevisions } = await import('../test/integration/fanout/support.js');
  const { fanoutDynamo: testDynamo } = await import('../test/integration/fanout/support.js');
  const tableNames = { data: process.env.TABLE_NAME! };
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
  const { schemaKey } = await import('../shared/consent/keys.js');
  const { consentEvents } = await import('../shared/consent/events.js');
  const { definedEvent } = await import('../shared/platform/event-schema.js');
  const { SYNC_PAGE_SIZE } = await import('../shared/consent/schema-sync.js');
  const changed = (await import('../functions/consent/on-schema-changed.js')).handler;
  const continued = (await import('../functions/consent/on-schema-sync-continued.js')).handler;
  const tenant = 'fanout-sim';
  const schema = 'https://schema.example/fanout/ProductViews';
  const seedStart = performance.now();
  log(`schema fan-out: seeding ${references} references (BatchWriteItem)…`);
  const refs = await seedReferences(tenant, references, 16);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  log(`schema fan-out: seeded in ${Math.round(seedSeconds)} s; running the chain…`);
  const revision = 2;
  await testDynamo().send(new PutCommand({
    TableName: tableNames.data,
    Item: { ...schemaKey(tenant, schema), entityType: 'ConsentSchema', tenant, schema, consentClass: 'ProductViews', owner: 'user', title: 'Views', description: 'Simulated', active: true, revision, updatedAt: new Date().toISOString() },
  }));
  const event = definedEvent(consentEvents.ConsentSchemaChanged, { tenant, schema, consentClass: 'ProductViews', owner: 'user', active: true, revision });
  const routed = (detail: Record<string, unknown>, detailType: string) => ({ ...detail, outbox: { source: 'mydata.consent', detailType } });
  const chain = await driveChain(
    () => changed(busEvent('mydata.consent', 'ConsentSchemaChanged', routed(event.detail, 'ConsentSchemaChanged')), lambdaContext),
    'ConsentSchemaSyncContinued',
    tenant,
    (detail) => continued(busEvent('mydata.consent', 'ConsentSchemaSyncContinued', detail), lambdaContext),
    // One transaction per reference copied (+ the hand-over's put).
    (calls) => calls['DynamoDB.TransactWriteItems'] ?? 0,
  );
  log(`schema fan-out: ${chain.invocations.length} invocations in ${chain.seconds.toFixed(1)} s; checking completion…`);
  const revisions = await consentRevisions(tenant, refs, schema);
  const complete = [...revisions.values()].every((r) => r === revision);
  return figures(references, seedSeconds, SYNC_PAGE_SIZE, chain, complete);
}

async function moveChain(partners: number, log: (line: string) => void): Promise<ChainFigures & { moveAnsweredMs: number }> {
  const { seedSubtree, storedPaths } = await import('../test/integration/fanout/support.js');
  const { fanoutDynamo: testDynamo } = await import('../test/integration/fanout/support.js');
  const tableNames = { data: process.env.TABLE_NAME! };
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
  const { partnerItem } = await import('../shared/partner/model.js');
  const { movePartner } = await import('../shared/partner/move-service.js');
  const { PATH_PAGE_SIZE } = await import('../shared/partner/path-rewrite.js');
  const continued = (await import('../functions/partner/on-path-rewrite-continued.js')).handler;
  const tenant = 'fanout-sim';
  const at = new Date().toISOString();
  const put = (partnerId: string, parentId: string | undefined, path: string[]) =>
    testDynamo().send(new PutCommand({ TableName: tableNames.data, Item: partnerItem({ tenant, partnerId, typ: 'ORGANISATION', parentId, path, locked: false, rechte: {}, attributes: { name: partnerId }, kennzeichen: {}, lizenzen: {}, version: 1, createdAt: at, updatedAt: at } as never) }));
  const [root, north, south, moved] = ['ROO00', 'NOR00', 'SUD00', 'MOV00'];
  await put(root, undefined, []);
  await put(north, root, [root]);
  await put(south, root, [root]);
  await put(moved, north, [root, north]);
  const perTeam = 99;
  const teams = Math.max(1, Math.round(partners / (perTeam + 1)));
  log(`partner move: seeding ${teams * (perTeam + 1)} partners below the moved one (BatchWriteItem)…`);
  const seedStart = performance.now();
  const { partners: descendants } = await seedSubtree(tenant, moved, [root, north], teams, perTeam, 16);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  let moveAnsweredMs = 0;
  const chain = await driveChain(
    async () => {
      const started = performance.now();
      await movePartner({ tenant, partnerId: root, sub: 'simulation' }, moved, south);
      moveAnsweredMs = Math.round(performance.now() - started);
    },
    'PartnerPathRewriteContinued',
    tenant,
    (detail) => continued(busEvent('mydata.partner', 'PartnerPathRewriteContinued', detail), lambdaContext),
    // Rows read from the children index and queries made (the page's budget), as the consumer counts them.
    (calls) => (calls['DynamoDB.Query'] ?? 0) + (calls['DynamoDB.UpdateItem'] ?? 0),
  );
  log(`partner move: answered in ${moveAnsweredMs} ms; ${chain.invocations.length} invocations in ${chain.seconds.toFixed(1)} s; checking completion…`);
  const paths = await storedPaths(tenant, descendants.map((d) => d.partnerId));
  const complete = descendants.every((d) => JSON.stringify(paths.get(d.partnerId)) === JSON.stringify(d.parentId === moved ? [root, south, moved] : [root, south, moved, d.parentId]));
  return { ...figures(descendants.length, seedSeconds, PATH_PAGE_SIZE, { ...chain, invocations: chain.invocations.slice(1) }, complete), moveAnsweredMs };
}

export function fanoutTable(results: FanoutResults): string {
  const rows = [
    ['chain', 'items', 'seed s', 'invocations', 'page size', 'max calls/inv.', 'max ms/inv.', 'median ms/inv.', 'total s', 'items/s', 'complete'],
    ...([['schema fan-out (references)', results.schema], ['partner move (subtree paths)', results.move]] as const).map(([name, f]) => [
      name, f.items, f.seedSeconds, f.invocations, f.pageSize, f.maxCallsPerInvocation, f.maxInvocationMs, f.medianInvocationMs, f.totalSeconds, f.itemsPerSecond, f.complete ? 'yes' : 'NO',
    ].map(String)),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return [...rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ')), `move answered in ${results.move.moveAnsweredMs} ms`].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { references: { type: 'string', default: '100000' }, partners: { type: 'string', default: '10000' } }, strict: false });
  const results = await simulateFanout({ references: Number(values.references), partners: Number(values.partners), log: (line) => process.stderr.write(`[fanout] ${line}\n`) });
  console.log(fanoutTable(results));
  console.log(JSON.stringify(results, null, 2));
  process.exit(results.schema.complete && results.move.complete ? 0 : 1);
}
