import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { LOCAL_NAMES } from '../../../infra/local/names.js';
import { verifySignature } from '../../../shared/notifications/signing.js';
import { CONSENT_MANAGE, CONSENT_VIEW, CRM_READ, DATA_READ, DATA_WRITE, NOTIFICATIONS_MANAGE, scopeClaim } from '../../../shared/platform/scopes.js';
import { type Received, type Receiver, startReceiver } from '../notifications/support.js';
import { busEvents, deadLetters, type OwnPlatform, sleep, startOwnPlatform, unconfirmedOutboxRows, waitUntil } from './own-platform.js';

/**
 * Issue 13: a failing CRM audience consumer, a crashed relay and a stopped bus lose no partner notice and no
 * purge. Faults are injected into the real local services (the local EventBridge's per-rule fault switch, the
 * relay and the bus) of a platform of this file's own, with the notification retry clock short (1 s steps, the
 * sweep every second). Receivers are real HTTP servers; a receiver deduplicates by `Mydata-Delivery-Id`, so
 * "exactly once" is counted per delivery id, and per (partner, guest, notice) there must be exactly one.
 */
let platform: OwnPlatform;
const tenant = `crmf-${randomBytes(4).toString('hex')}`;
const receivers = new Map<string, Receiver>();
const secrets = new Map<string, string>();
let partners: string[];

const AUDIENCE_RULE = 'NoticePartnersOfRevoke';
const guestToken = (sub: string, partner?: string) =>
  platform.sign({
    principal: 'guest',
    tenant,
    sub,
    ...(partner ? { partner_id: partner, client_id: `app-${partner}` } : {}),
    scope: scopeClaim(CONSENT_VIEW, CONSENT_MANAGE, DATA_READ, DATA_WRITE),
  });
const partnerToken = (partner: string) =>
  platform.sign({ principal: 'partner', tenant, partner_id: partner, sub: `crm-${partner}`, scope: scopeClaim(CRM_READ, NOTIFICATIONS_MANAGE) });

beforeAll(async () => {
  Object.assign(process.env, { NOTIFICATION_RETRY_SECONDS: '1,1,1,1,1,1,1,1,1,1', MYDATA_LOCAL_SCHEDULE_SECONDS: '1' });
  try {
    platform = await startOwnPlatform();
  } finally {
    delete process.env.NOTIFICATION_RETRY_SECONDS;
    delete process.env.MYDATA_LOCAL_SCHEDULE_SECONDS;
  }
  const system = await platform.sign({ principal: 'system', sub: 'ops' });
  const onboarded = await platform.call('PUT', `/admin/v1/tenants/${tenant}`, {
    token: system,
    body: { name: tenant, rootPartner: { name: `${tenant} GmbH` }, administrator: { vorname: 'Ada', nachname: 'Admin', email: `a@${tenant}.example` } },
  });
  expect(onboarded.status).toBe(201);
  partners = [onboarded.body.rootPartnerId, onboarded.body.administratorPartnerId];
  expect((await platform.call('PUT', '/admin/v1/consentClasses/PartnerData', { token: system, body: { title: 'PartnerData', description: 'audience faults' } })).status).toBeLessThan(300);
  const tenantToken = await platform.sign({ principal: 'tenant', tenant, sub: 'admin', scope: scopeClaim(CONSENT_VIEW, CONSENT_MANAGE) });
  const schema = await platform.call('PUT', `/profile-consent/v1/${tenant}/schemas/PartnerData`, {
    token: tenantToken,
    body: { consentClass: 'PartnerData', owner: 'user', title: 'PartnerData', description: 'PartnerData of the guest' },
  });
  expect(schema.status).toBeLessThan(300);
  for (const partner of partners) {
    const receiver = await startReceiver();
    receivers.set(partner, receiver);
    const created = await platform.call('POST', '/profile/v1/subscriptions', { token: await partnerToken(partner), body: { url: receiver.url, entityTypes: ['PartnerData'] } });
    expect(created.status).toBe(201);
    secrets.set(partner, created.body.secret);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([...receivers.values()].map((r) => r.close()));
  await platform?.stop();
});

/** A guest whose PartnerData both partners created (each through its own app): both must be told of a revoke. */
async function guestOfBothPartners(): Promise<{ sub: string; ref: string }> {
  const sub = `g-${randomBytes(4).toString('hex')}`;
  const created = await platform.call('POST', `/profile-consent/v1/${tenant}/consentReferences`, { token: await guestToken(sub), body: {} });
  expect([200, 201]).toContain(created.status);
  const ref = created.body.id as string;
  await waitUntil(async () => (await platform.call('GET', `/profile-consent/v1/${tenant}/consentReferences/${ref}`, { token: await guestToken(sub) })).body?.status === 'active', 30_000);
  for (const partner of partners) {
    const put = await platform.call('PUT', `/profile/v1/partnerdata/wishlist-${partner}`, { token: await guestToken(sub, partner), body: { items: ['tea'] } });
    expect(put.status).toBe(201);
  }
  return { sub, ref };
}

const revoke = async (guest: { sub: string; ref: string }) => {
  const answer = await platform.call('PUT', `/profile-consent/v1/${tenant}/consents/${guest.ref}/schemas/PartnerData`, { token: await guestToken(guest.sub), body: { granted: false } });
  expect(answer.status).toBeLessThan(300);
};

/** What the receiver keeps after deduplicating by delivery id: one entry per delivery. */
function deduplicated(receiver: Receiver): Received[] {
  const seen = new Map<string, Received>();
  for (const r of receiver.notices()) seen.set(String(r.headers['mydata-delivery-id']), r);
  return [...seen.values()];
}

/** The revoke's notices for the guest at each partner: `consent.revoked` and `purge.required`, one delivery each. */
function revokeNotices(partner: string, guest: string): Received[] {
  return deduplicated(receivers.get(partner)!).filter((r) => r.json.guest === guest && ['consent.revoked', 'purge.required'].includes(String(r.json.notice)));
}

async function everyoneToldOnce(guests: readonly string[]): Promise<void> {
  await waitUntil(async () => partners.every((p) => guests.every((g) => revokeNotices(p, g).length >= 2)), 60_000);
  // Let late duplicates land before counting.
  await sleep(2_000);
  for (const partner of partners) {
    for (const guest of guests) {
      const notices = revokeNotices(partner, guest);
      expect(notices.map((n) => n.json.notice).sort()).toEqual(['consent.revoked', 'purge.required']);
      // One notice event per kind: deduplicated by eventId as well, nothing was announced twice.
      expect(new Set(notices.map((n) => n.json.eventId)).size).toBe(2);
      for (const n of notices) expect(verifySignature(String(n.headers['mydata-signature']), n.body, [secrets.get(partner)!], Math.floor(Date.now() / 1000))).toBe('valid');
    }
  }
}

/** Every guest has exactly one pending purge at every partner (nothing lost, nothing recorded twice). */
async function everyPurgePending(guests: readonly string[]): Promise<void> {
  for (const partner of partners) {
    const page = await platform.call('GET', '/profile/v1/crm/purges?limit=500', { token: await partnerToken(partner) });
    expect(page.status).toBe(200);
    for (const guest of guests) {
      const purges = (page.body.purges as { guest: string; reason: string }[]).filter((p) => p.guest === guest);
      expect(purges.map((p) => p.reason)).toEqual(['consent.revoked']);
    }
  }
}

describe('the CRM audience under faults', () => {
  it('a failing audience consumer: its events are dead-lettered, `npm run replay` tells every partner once, a re-delivered event adds nothing', async () => {
    await fetch(`${platform.eventsUrl}/_local/faults/${AUDIENCE_RULE}`, { method: 'PUT', body: JSON.stringify({ failing: true }) });
    const guests = [await guestOfBothPartners(), await guestOfBothPartners()];
    const refs = guests.map((g) => g.ref);
    for (const guest of guests) await revoke(guest);
    const letters = await waitUntil(async () => {
      const found = (await deadLetters(platform)).filter((l) => l.ruleId === AUDIENCE_RULE && refs.includes(l.event.detail.consentReference));
      return found.length === guests.length && found;
    }, 30_000);
    // While the consumer fails: no notice, no purge.
    for (const partner of partners) for (const guest of guests) expect(revokeNotices(partner, guest.sub)).toEqual([]);

    await fetch(`${platform.eventsUrl}/_local/faults/${AUDIENCE_RULE}`, { method: 'PUT', body: JSON.stringify({ failing: false }) });
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/local/replay.ts', '--events-url', platform.eventsUrl, '--rule', AUDIENCE_RULE], {
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(JSON.parse(stdout).replayed).toBeGreaterThanOrEqual(guests.length);
    await everyoneToldOnce(guests.map((g) => g.sub));
    await everyPurgePending(guests.map((g) => g.sub));

    // The same ConsentRevoked delivered again (at-least-once): the audience records nothing new.
    const before = partners.map((p) => deduplicated(receivers.get(p)!).length);
    const bus = new EventBridgeClient({ endpoint: platform.eventsUrl, region: LOCAL_NAMES.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const original = (await busEvents(platform)).filter((e) => e['detail-type'] === 'ConsentRevoked' && refs.includes(e.detail.consentReference));
    expect(original).toHaveLength(guests.length);
    await bus.send(
      new PutEventsCommand({
        Entries: original.map((e) => ({ EventBusName: LOCAL_NAMES.eventBusName, Source: 'mydata.consent', DetailType: 'ConsentRevoked', Detail: JSON.stringify(e.detail) })),
      }),
    );
    bus.destroy();
    await sleep(4_000);
    expect(partners.map((p) => deduplicated(receivers.get(p)!).length)).toEqual(before);
    await everyPurgePending(guests.map((g) => g.sub));
    expect(letters.length).toBe(guests.length);
  }, 180_000);

  it('the relay crashes and the bus stops while revokes are in flight: every notice and purge arrives after the restart (0 lost)', async () => {
    const guests = [await guestOfBothPartners(), await guestOfBothPartners()];
    // The bus is down: the relay reads the revoke's outbox row but cannot publish it, then crashes with it.
    await platform.control('bus/stop');
    await revoke(guests[0]!);
    await sleep(800);
    await platform.control('relay/stop');
    await platform.control('bus/start');
    // While the relay is down: a second revoke commits, nothing is published.
    await revoke(guests[1]!);
    await sleep(1_500);
    for (const partner of partners) for (const guest of guests) expect(revokeNotices(partner, guest.sub)).toEqual([]);

    await platform.control('relay/start');
    await everyoneToldOnce(guests.map((g) => g.sub));
    await everyPurgePending(guests.map((g) => g.sub));
    await waitUntil(async () => (await unconfirmedOutboxRows(platform)).length === 0, 60_000);
  }, 180_000);

  it('the relay crashes the moment the audience has recorded the purges (their notices in flight): all are delivered after the restart', async () => {
    const guest = await guestOfBothPartners();
    await revoke(guest);
    // The purges are recorded in the same transactions as their PartnerNotices' outbox rows: stop the relay as soon as they are there.
    await waitUntil(async () => {
      const pages = await Promise.all(partners.map(async (p) => (await platform.call('GET', '/profile/v1/crm/purges?limit=500', { token: await partnerToken(p) })).body.purges as { guest: string }[]));
      return pages.every((purges) => purges.some((x) => x.guest === guest.sub));
    }, 30_000);
    await platform.control('relay/stop');
    await sleep(1_000);
    await platform.control('relay/start');
    await everyoneToldOnce([guest.sub]);
    await everyPurgePending([guest.sub]);
    await waitUntil(async () => (await unconfirmedOutboxRows(platform)).length === 0, 60_000);
  }, 120_000);
});
