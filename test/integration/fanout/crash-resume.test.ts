import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_NAMES } from '../../../infra/local/names.js';
import { OUTBOX_DUE_SHARDS, outboxDuePartition } from '../../../shared/platform/outbox.js';
import { startOwnPlatform, type OwnPlatform } from '../delivery/own-platform.js';
import { ALL_SCOPES } from '../partner/support.js';
import { seedSubtree, storedPaths, useFanoutDynamo } from './support.js';

/**
 * A chain of continuations survives its consumer crashing (decision 0208): with the relay down, the
 * move's first `PartnerPathRewriteContinued` is never delivered, as if its consumer had died on it. It
 * stays unconfirmed, and the outbox sweeper alone carries the chain to the end (each page's hand-over is
 * unconfirmed too until its page ran). When the relay comes back it delivers the backlog a second time:
 * pages run again and hand on under the ids already used, so nothing is left unconfirmed and no second
 * chain runs. On a platform of its own (the relay goes down).
 */
let platform: OwnPlatform;
const tenant = `fr-${randomBytes(4).toString('hex')}`;
let root: string;
let token: string;

beforeAll(async () => {
  platform = await startOwnPlatform();
  useFanoutDynamo(platform.db);
  const system = await platform.sign({ principal: 'system', sub: 'ops' });
  const onboarded = await platform.call('PUT', `/admin/v1/tenants/${tenant}`, {
    token: system,
    body: { name: tenant, rootPartner: { name: `${tenant} GmbH` }, administrator: { vorname: 'Ada', nachname: 'Admin', email: `a@${tenant}.example` } },
  });
  expect(onboarded.status).toBe(201);
  root = onboarded.body.rootPartnerId;
  const admin = onboarded.body.administratorPartnerId;
  token = await platform.sign({ principal: 'partner', tenant, partner_id: admin, sub: `user-${admin}`, client_id: 'app-1', scope: ALL_SCOPES });
}, 90_000);

afterAll(async () => {
  await platform?.stop();
});

const create = async (parent: string, name: string) => {
  const response = await platform.call('POST', `/v2/partner/${parent}/untergeordnete`, { token, body: { typ: 'ORGANISATION', name } });
  expect(response.status).toBe(201);
  return response.body.partnerId as string;
};

/** Continuations of this tenant still waiting for their consumer (in the outbox's due index). */
async function unconfirmed(): Promise<number> {
  let count = 0;
  for (let shard = 0; shard < OUTBOX_DUE_SHARDS; shard++) {
    const out = await platform.db.send(new QueryCommand({
      TableName: LOCAL_NAMES.tableName, IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': outboxDuePartition(shard) },
    }));
    count += (out.Items ?? []).filter((row) => row.detailType === 'PartnerPathRewriteContinued' && JSON.parse(String(row.detail)).tenant === tenant).length;
  }
  return count;
}

it('with the relay down the sweeper carries a path rewrite to the end; the late backlog of the relay starts nothing new', async () => {
  const north = await create(root, 'Nord');
  const south = await create(root, 'Süd');
  const moved = await create(north, 'Filiale');
  const { partners } = await seedSubtree(tenant, moved, [root, north], 5, 100);
  const ids = partners.map((p) => p.partnerId);
  const expected = (p: { partnerId: string; parentId: string }) => JSON.stringify(p.parentId === moved ? [root, south, moved] : [root, south, moved, p.parentId]);
  const complete = async () => {
    const paths = await storedPaths(tenant, ids);
    return partners.every((p) => JSON.stringify(paths.get(p.partnerId)) === expected(p));
  };

  await platform.control('relay/stop');
  try {
    expect((await platform.call('PUT', `/v2/partner/${moved}/parent`, { token, body: { partnerId: south } })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await complete()).toBe(false); // nothing was delivered: the chain has not started
    expect(await unconfirmed()).toBe(1);
    let sweeps = 0;
    while (!(await complete())) {
      expect(sweeps++).toBeLessThan(40);
      await platform.control('sweep', { time: new Date(Date.now() + 3 * 60_000).toISOString() });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    }
    expect(sweeps).toBeGreaterThan(1); // more than one page, each re-published by the sweeper
  } finally {
    await platform.control('relay/start');
  }
  // The relay now delivers the whole backlog again: every page runs a second time, idempotently.
  const deadline = Date.now() + 60_000;
  while ((await unconfirmed()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await unconfirmed()).toBe(0);
  expect(await complete()).toBe(true);
}, 240_000);
