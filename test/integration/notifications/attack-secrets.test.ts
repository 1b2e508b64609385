import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { rotateSecret, secretsOf, SIGNING_SECRETS_AT_ONCE } from '../../../shared/notifications/subscriptions.js';
import { call, tableNames, testDynamo } from '../../support/api.js';
import { useLocalPlatformFromTests } from '../consent/support.js';
import { profileWorld, type World } from '../profile/support.js';
import { partnerToken, type Receiver, startReceiver } from './support.js';

/**
 * Attack findings M1 and L2 (signing secrets): a subscription's secrets must stay bounded however often it is
 * rotated (at most the current secret and the one it replaced sign, old rows are removed), rotation and delete
 * must keep working after any history, and parallel rotations must not leave extra secrets without expiry.
 */
let world: World;
let hook: Receiver;

beforeAll(async () => {
  useLocalPlatformFromTests();
  world = await profileWorld();
  hook = await startReceiver();
});
afterAll(() => hook.close());

async function subscribe(token: string): Promise<string> {
  const created = await call('POST', '/profile/v1/subscriptions', { token, body: { url: hook.url, entityTypes: ['PartnerData'] } });
  if (created.status !== 201) throw new Error(`subscribe: ${created.status} ${created.text}`);
  return created.body.subscriptionId as string;
}

/** The subscription's rows in the key table, read directly. */
async function secretRowsOf(subscriptionId: string): Promise<Record<string, unknown>[]> {
  const out = await testDynamo().send(
    new QueryCommand({
      TableName: tableNames.keys,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': `T#${world.tenant}#PARTNER#${world.partnerA}#NOTIFY`, ':sk': `SECRET#${subscriptionId}#` },
    }),
  );
  return out.Items ?? [];
}

describe('signing secrets stay bounded', () => {
  it('keeps the current and the replaced secret after 105 rotations, and rotation and delete still work', async () => {
    const token = await partnerToken(world.tenant, world.partnerA);
    const subscriptionId = await subscribe(token);
    const caller = { tenant: world.tenant, partnerId: world.partnerA };
    // One rotation a simulated minute apart (the domain takes the clock), so the per-minute write rate never
    // refuses, while all of them stay inside the 24 h overlap that used to keep every older secret signing.
    const start = Date.now();
    let last: { secret: string } | undefined;
    let before: { secret: string } | undefined;
    for (let i = 1; i <= 105; i++) {
      before = last;
      last = await rotateSecret(caller, subscriptionId, new Date(start + i * 61_000));
    }
    const at = new Date(start + 106 * 61_000);
    expect(SIGNING_SECRETS_AT_ONCE).toBe(2);
    expect(await secretsOf(caller, subscriptionId, at)).toEqual([last!.secret, before!.secret]);
    expect(await secretRowsOf(subscriptionId)).toHaveLength(2);

    const rotated = await call('POST', `/profile/v1/subscriptions/${subscriptionId}/secret`, { token });
    expect(rotated.status).toBe(201);
    expect(await secretRowsOf(subscriptionId)).toHaveLength(2);
    const removed = await call('DELETE', `/profile/v1/subscriptions/${subscriptionId}`, { token });
    expect(removed.status).toBe(204);
    expect(await secretRowsOf(subscriptionId)).toHaveLength(0);
  }, 120_000);

  it('ends the replaced secret at once when rotated again during the overlap (a double rotation retires a leaked secret)', async () => {
    const token = await partnerToken(world.tenant, world.partnerA);
    const created = await call('POST', '/profile/v1/subscriptions', { token, body: { url: hook.url, entityTypes: ['PartnerData'] } });
    const subscriptionId = created.body.subscriptionId as string;
    const path = `/profile/v1/subscriptions/${subscriptionId}/secret`;
    const second = await call('POST', path, { token });
    const third = await call('POST', path, { token });
    expect([second.status, third.status]).toEqual([201, 201]);
    const caller = { tenant: world.tenant, partnerId: world.partnerA };
    const signing = await secretsOf(caller, subscriptionId);
    expect(signing).toEqual([third.body.secret, second.body.secret]);
    expect(signing).not.toContain(created.body.secret);
    // A rotation is a change of the subscription: its version moves on (create 1, two rotations).
    expect((await call('GET', `/profile/v1/subscriptions/${subscriptionId}`, { token })).body.version).toBe(3);
  });

  it('leaves exactly two signing secrets after 20 parallel rotations (each 201 or 409, never 5xx)', async () => {
    const token = await partnerToken(world.tenant, world.partnerA);
    const subscriptionId = await subscribe(token);
    // Not across a minute boundary: the write rate (30 a minute) must not be what refuses here.
    if (new Date().getUTCSeconds() > 40) await new Promise((r) => setTimeout(r, (61 - new Date().getUTCSeconds()) * 1000));
    const answers = await Promise.all(Array.from({ length: 20 }, () => call('POST', `/profile/v1/subscriptions/${subscriptionId}/secret`, { token })));
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    const won = answers.filter((a) => a.status === 201);
    expect(won.length).toBeGreaterThan(0);
    const signing = await secretsOf({ tenant: world.tenant, partnerId: world.partnerA }, subscriptionId);
    expect(signing).toHaveLength(2);
    expect(await secretRowsOf(subscriptionId)).toHaveLength(2);
    const valid = (await secretRowsOf(subscriptionId)).filter((row) => row.validUntil === undefined);
    expect(valid).toHaveLength(1);
    expect((await call('GET', `/profile/v1/subscriptions/${subscriptionId}`, { token })).body.version).toBe(1 + won.length);
  }, 90_000);
});
