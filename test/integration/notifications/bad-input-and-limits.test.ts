import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { call, onboardTenant, tableNames, testDynamo, tokenFor, uniqueTenant } from '../../support/api.js';
import { LIMITS } from '../../../shared/notifications/limits.js';
import { createPartner, organisation, partnerToken as partnerApiToken } from '../partner/support.js';
import { profileWorld, type World } from '../profile/support.js';
import { partnerToken, type Receiver, startReceiver } from './support.js';

/**
 * What the subscription routes refuse (issue 13): endpoints failing the SSRF rules, unreachable ones,
 * unknown entity types, bodies naming another partner or tenant, other partners' and tenants' subscriptions;
 * and the per-partner limit under parallel creates. Every refusal is a 4xx and leaves nothing written.
 */
let world: World;
let hook: Receiver;
beforeAll(async () => {
  world = await profileWorld();
  hook = await startReceiver();
});
afterAll(() => hook.close());

/** A further partner of the tenant, created below partner A through the partner API (subscriptions need a registered partner). */
const registeredPartner = async (name: string) => createPartner(await partnerApiToken(world.tenant, world.partnerB), world.partnerA, organisation(name));

const create = async (body: unknown, partner = world.partnerA, tenant = world.tenant) =>
  call('POST', '/profile/v1/subscriptions', { token: await partnerToken(tenant, partner), body });

/** Every row of the partner's notification partitions (subscriptions, counter) — what a refusal must not change. */
async function storedRows(partner: string) {
  const out = await testDynamo().send(
    new QueryCommand({ TableName: tableNames.data, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `T#${world.tenant}#PARTNER#${partner}#NOTIFY` }, ConsistentRead: true }),
  );
  return (out.Items ?? []).filter((row) => !String(row.SK).startsWith('RATE#'));
}

describe('endpoints the SSRF guard refuses, with a clear 400 and nothing written', () => {
  it.each([
    ['a private address', 'http://10.0.0.1/hook', 'address'],
    ['the metadata service', 'http://169.254.169.254/latest/meta-data', 'address'],
    ['the metadata service over https', 'https://169.254.169.254/', 'address'],
    ['an IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]:8080/', 'address'],
    ['a unique-local IPv6 address', 'https://[fd00::1]/', 'address'],
    ['carrier-grade NAT', 'https://100.64.0.1/', 'address'],
    ['plain http to a public address', 'http://93.184.216.34/', 'address'],
    ['another scheme', 'ftp://127.0.0.1/hook', 'scheme'],
    ['a file URL', 'file:///etc/passwd', 'scheme'],
    ['credentials in the URL', 'http://user:pw@127.0.0.1:9/hook', 'credentials'],
    ['a host that does not resolve', 'https://no-such-host.invalid/hook', 'unresolvable'],
    // Without spaces: whitespace and control characters are refused before the URL is looked at (ValidationError).
    ['no URL at all', 'not-a-url-at-all', 'malformed'],
  ])('%s', async (_name, url, reason) => {
    const before = await storedRows(world.partnerA);
    const response = await create({ url, entityTypes: ['PartnerData'] });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('EndpointRefused');
    expect(response.body.details.reason).toBe(reason);
    expect(await storedRows(world.partnerA)).toEqual(before);
  });

  it('refuses an endpoint that does not answer the signed verification ping with 2xx (closed port, 500, redirect)', async () => {
    const redirecting = createServer((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/' });
      res.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const failing = await startReceiver();
    try {
      const closedPort = createServer();
      await new Promise<void>((resolve) => closedPort.listen(0, '127.0.0.1', resolve));
      const { port } = closedPort.address() as AddressInfo;
      await new Promise<void>((resolve) => closedPort.close(() => resolve()));
      const before = await storedRows(world.partnerA);
      const closed = await create({ url: `http://127.0.0.1:${port}/hook`, entityTypes: ['PartnerData'] });
      expect(closed.status).toBe(400);
      expect(closed.body).toMatchObject({ code: 'EndpointUnreachable', details: { outcome: 'network' } });
      const redirect = await create({ url: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/`, entityTypes: ['PartnerData'] });
      expect(redirect.status).toBe(400);
      expect(redirect.body.details.outcome).toBe('redirect (HTTP 302)');
      expect(await storedRows(world.partnerA)).toEqual(before);
    } finally {
      redirecting.close();
      await failing.close();
    }
  });
});

describe('bodies and callers that are refused', () => {
  it('refuses unknown entity types (of this tenant’s metamodel) and malformed ones', async () => {
    const unknown = await create({ url: hook.url, entityTypes: ['PartnerData', 'NoSuchType'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'UnknownEntityType', details: { entityTypes: ['NoSuchType'] } });
    expect((await create({ url: hook.url, entityTypes: [] })).status).toBe(400);
    expect((await create({ url: hook.url, entityTypes: ['../x'] })).status).toBe(400);
    expect((await create({ url: hook.url, entityTypes: ['PartnerData'], notices: ['data.stolen'] })).status).toBe(400);
  });

  it('refuses a body naming another partner or tenant (strict schema), and a token without a partner', async () => {
    for (const extra of [{ partnerId: world.partnerB }, { tenant: 'other-tenant' }]) {
      const response = await create({ url: hook.url, entityTypes: ['PartnerData'], ...extra });
      expect(response.status).toBe(400);
    }
    const noPartner = await tokenFor({ principal: 'partner', tenant: world.tenant, scope: 'profile_notifications_manage' });
    const response = await call('POST', '/profile/v1/subscriptions', { token: noPartner, body: { url: hook.url, entityTypes: ['PartnerData'] } });
    expect(response.status).toBe(403);
  });

  it("never shows or touches another partner's or tenant's subscription (404), and leaves it as it was", async () => {
    const created = await create({ url: hook.url, entityTypes: ['PartnerData'] });
    expect(created.status).toBe(201);
    const id = created.body.subscriptionId as string;
    const foreignTenant = uniqueTenant('notify-f');
    // The other tenant's own (registered) partner: an unregistered one would already be 403 (attack finding L3).
    const { rootPartnerId: foreignPartner } = await onboardTenant(foreignTenant);
    const intruders = [await partnerToken(world.tenant, world.partnerB), await partnerToken(foreignTenant, foreignPartner)];
    for (const token of intruders) {
      expect((await call('GET', `/profile/v1/subscriptions/${id}`, { token })).status).toBe(404);
      expect((await call('PATCH', `/profile/v1/subscriptions/${id}`, { token, body: { paused: true } })).status).toBe(404);
      expect((await call('POST', `/profile/v1/subscriptions/${id}/secret`, { token })).status).toBe(404);
      expect((await call('GET', `/profile/v1/subscriptions/${id}/deadletters`, { token })).status).toBe(404);
      expect((await call('POST', `/profile/v1/subscriptions/${id}/deadletters/redrive`, { token })).status).toBe(404);
      expect((await call('DELETE', `/profile/v1/subscriptions/${id}`, { token })).status).toBe(404);
      const listed = await call('GET', '/profile/v1/subscriptions', { token });
      expect(listed.body.subscriptions.map((s: { subscriptionId: string }) => s.subscriptionId)).not.toContain(id);
    }
    const own = await call('GET', `/profile/v1/subscriptions/${id}`, { token: await partnerToken(world.tenant, world.partnerA) });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ paused: false, version: 1 });
    expect(own.headers.get('etag')).toBe('"1"');
    const stale = await call('PATCH', `/profile/v1/subscriptions/${id}`, { token: await partnerToken(world.tenant, world.partnerA), body: { paused: true }, headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(412);
    expect((await call('DELETE', `/profile/v1/subscriptions/${id}`, { token: await partnerToken(world.tenant, world.partnerA) })).status).toBe(204);
  });
});

describe('the per-partner subscription limit', () => {
  it(`leaves exactly ${LIMITS.subscriptionsPerPartner} subscriptions after ${LIMITS.subscriptionsPerPartner + 8} parallel creates, and a delete frees a place`, async () => {
    // Partner B of the world: no other test of this file creates subscriptions for it.
    const partner = world.partnerB;
    const token = await partnerToken(world.tenant, partner);
    const answers = await Promise.all(
      Array.from({ length: LIMITS.subscriptionsPerPartner + 8 }, () => call('POST', '/profile/v1/subscriptions', { token, body: { url: hook.url, entityTypes: ['PartnerData'] } })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(LIMITS.subscriptionsPerPartner);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true);
    expect(answers.find((a) => a.status === 409)?.body.code).toMatch(/SubscriptionLimitReached|ConcurrentChange/);
    const listed = await call('GET', '/profile/v1/subscriptions', { token });
    expect(listed.body.subscriptions).toHaveLength(LIMITS.subscriptionsPerPartner);
    const counter = (await storedRows(partner)).find((row) => row.SK === 'COUNT');
    expect(counter?.subscriptions).toBe(LIMITS.subscriptionsPerPartner);

    const over = await call('POST', '/profile/v1/subscriptions', { token, body: { url: hook.url, entityTypes: ['PartnerData'] } });
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('SubscriptionLimitReached');
    const removed = await call('DELETE', `/profile/v1/subscriptions/${listed.body.subscriptions[0].subscriptionId}`, { token });
    expect(removed.status).toBe(204);
    expect((await call('POST', '/profile/v1/subscriptions', { token, body: { url: hook.url, entityTypes: ['PartnerData'] } })).status).toBe(201);
  });
});

describe('parallel requests on one subscription and the write rate', () => {
  it('answers tens of parallel changes, rotations and a delete with 2xx or 409/404, never 5xx, and keeps a consistent version', async () => {
    const token = await partnerToken(world.tenant, await registeredPartner('Parallel GmbH'));
    const created = await call('POST', '/profile/v1/subscriptions', { token, body: { url: hook.url, entityTypes: ['PartnerData'] } });
    expect(created.status).toBe(201);
    const path = `/profile/v1/subscriptions/${created.body.subscriptionId}`;
    const answers = await Promise.all([
      ...Array.from({ length: 14 }, (_, i) => call('PATCH', path, { token, body: { paused: i % 2 === 0 } })),
      ...Array.from({ length: 6 }, () => call('POST', `${path}/secret`, { token })),
    ]);
    expect(answers.every((a) => a.status < 500)).toBe(true);
    expect(answers.every((a) => [200, 201, 409].includes(a.status))).toBe(true);
    // Every change and every rotation moves the version on (a rotation is conditional on it, decision 0407).
    const changed = answers.filter((a) => a.status === 200 || a.status === 201).length;
    const final = await call('GET', path, { token });
    expect(final.body.version).toBe(1 + changed);
    const [removed, late] = await Promise.all([call('DELETE', path, { token }), call('DELETE', path, { token })]);
    expect([removed.status, late.status].sort()).toEqual([204, 404].sort((a, b) => a - b));
  });

  it(`refuses more than ${LIMITS.writesPerMinute} subscription writes a minute with 429 and Retry-After, changing nothing`, async () => {
    // Not across a minute boundary: the counter is per epoch minute.
    if (new Date().getUTCSeconds() > 45) await new Promise((r) => setTimeout(r, (61 - new Date().getUTCSeconds()) * 1000));
    const token = await partnerToken(world.tenant, await registeredPartner('Rate GmbH'));
    const created = await call('POST', '/profile/v1/subscriptions', { token, body: { url: hook.url, entityTypes: ['PartnerData'] } });
    expect(created.status).toBe(201);
    const path = `/profile/v1/subscriptions/${created.body.subscriptionId}`;
    for (let i = 1; i < LIMITS.writesPerMinute; i++) expect((await call('PATCH', path, { token, body: { paused: i % 2 === 1 } })).status).toBe(200);
    const over = await call('PATCH', path, { token, body: { paused: false } });
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('SubscriptionWriteRateExceeded');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await call('GET', path, { token })).body.version).toBe(LIMITS.writesPerMinute);
  }, 90_000);
});
