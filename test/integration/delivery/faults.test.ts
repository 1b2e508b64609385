import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import {
  busEvents,
  deadLetters,
  type OwnPlatform,
  referenceStatus,
  sleep,
  startOwnPlatform,
  unconfirmedOutboxRows,
  waitUntil,
} from './own-platform.js';
import { CONSENT_MANAGE, CONSENT_VIEW, scopeClaim } from '../../../shared/platform/scopes.js';

/**
 * Issue 9 §5: no event is lost, none waits forever. Each fault is injected into real local services
 * (the relay, the local EventBridge endpoint, a consumer) of a platform of this file's own.
 */
let platform: OwnPlatform;
const tenant = `dl-${randomBytes(4).toString('hex')}`;
let admin: string;

beforeAll(async () => {
  platform = await startOwnPlatform();
  const system = await platform.sign({ principal: 'system', sub: 'ops' });
  const onboarded = await platform.call('PUT', `/admin/v1/tenants/${tenant}`, {
    token: system,
    body: { name: tenant, rootPartner: { name: `${tenant} GmbH` }, administrator: { vorname: 'Ada', nachname: 'Admin', email: `a@${tenant}.example` } },
  });
  expect(onboarded.status).toBe(201);
  admin = await platform.sign({ principal: 'tenant', tenant, sub: 'admin-1', scope: scopeClaim(CONSENT_VIEW, CONSENT_MANAGE) });
}, 90_000);

afterAll(async () => {
  await platform?.stop();
});

const guest = (sub: string) => platform.sign({ principal: 'guest', tenant, sub, partner: 'P1', client: 'app-1', scope: scopeClaim(CONSENT_VIEW, CONSENT_MANAGE) });

async function requestReference(token = admin): Promise<{ status: number; id: string }> {
  const response = await platform.call('POST', `/profile-consent/v1/${tenant}/consentReferences`, { token, body: {} });
  expect([200, 201]).toContain(response.status);
  return { status: response.status, id: response.body.id };
}

/** Events lost: references whose Requested or Created event never reached the bus. */
async function lostEvents(refs: readonly string[]): Promise<number> {
  const events = await busEvents(platform);
  const seen = (type: string, ref: string) => events.some((e) => e['detail-type'] === type && e.detail.consentReference === ref);
  return refs.filter((ref) => !seen('ConsentReferenceRequested', ref)).length + refs.filter((ref) => !seen('ConsentReferenceCreated', ref)).length;
}

async function allActive(refs: readonly string[]): Promise<boolean> {
  const statuses = await Promise.all(refs.map((ref) => referenceStatus(platform, tenant, ref)));
  return statuses.every((status) => status === 'active');
}

describe('delivery under faults', () => {
  it('relay crash between commit and publish, and while down: every event is published after the restart (0 lost)', async () => {
    // The bus is down: the relay reads the new outbox rows but cannot publish them...
    await platform.control('bus/stop');
    const beforeCrash = [];
    for (let i = 0; i < 4; i++) beforeCrash.push((await requestReference()).id);
    await sleep(800);
    // ...and crashes with them read but unpublished.
    await platform.control('relay/stop');
    await platform.control('bus/start');
    const whileDown = [];
    for (let i = 0; i < 4; i++) whileDown.push((await requestReference()).id);
    await sleep(500);
    const refs = [...beforeCrash, ...whileDown];
    expect((await Promise.all(refs.map((ref) => referenceStatus(platform, tenant, ref)))).every((s) => s === 'pending')).toBe(true);

    await platform.control('relay/start');
    await waitUntil(() => allActive(refs));
    await waitUntil(async () => (await lostEvents(refs)) === 0);
    expect(await lostEvents(refs)).toBe(0);
    // Every outbox row was confirmed: nothing is left for the sweeper.
    await waitUntil(async () => (await unconfirmedOutboxRows(platform)).length === 0);
  }, 60_000);

  it('a consumer failing until dead-lettered, then `npm run replay`: the reference completes (0 stuck), a new POST returns it', async () => {
    const user = `g-${randomBytes(3).toString('hex')}`;
    const token = await guest(user);
    await fetch(`${platform.eventsUrl}/_local/faults/CompleteConsentReference`, { method: 'PUT', body: JSON.stringify({ failing: true }) });
    const { id: ref, status } = await requestReference(token);
    expect(status).toBe(201);
    const letter = await waitUntil(async () =>
      (await deadLetters(platform)).find((l) => l.ruleId === 'CompleteConsentReference' && l.event.detail.consentReference === ref),
    );
    expect(letter.event.detail.eventId).toEqual(expect.any(String));
    expect(await referenceStatus(platform, tenant, ref)).toBe('pending');
    // Still the same (pending) reference for the same user.
    expect((await requestReference(token)).id).toBe(ref);
    // Its outbox row waits for the consumer, not just for the bus.
    expect((await unconfirmedOutboxRows(platform)).map((row) => row.PK)).toContain(`OUTBOX#${letter.event.detail.eventId}`);

    await fetch(`${platform.eventsUrl}/_local/faults/CompleteConsentReference`, { method: 'PUT', body: JSON.stringify({ failing: false }) });
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/local/replay.ts', '--events-url', platform.eventsUrl], {
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(JSON.parse(stdout)).toEqual({ replayed: expect.any(Number) });
    expect(JSON.parse(stdout).replayed).toBeGreaterThanOrEqual(1);

    await waitUntil(async () => (await referenceStatus(platform, tenant, ref)) === 'active');
    expect((await deadLetters(platform)).filter((l) => l.event.detail.consentReference === ref)).toEqual([]);
    const again = await requestReference(token);
    expect(again).toEqual({ status: 200, id: ref });
    expect(await lostEvents([ref])).toBe(0);
    await waitUntil(async () => !(await unconfirmedOutboxRows(platform)).some((row) => row.PK === `OUTBOX#${letter.event.detail.eventId}`));
  }, 60_000);

  it('a dead-lettered reference creation nobody replays is completed by the outbox sweeper after its bound (0 stuck)', async () => {
    await fetch(`${platform.eventsUrl}/_local/faults/CompleteConsentReference`, { method: 'PUT', body: JSON.stringify({ failing: true }) });
    const { id: ref } = await requestReference();
    await waitUntil(async () => (await deadLetters(platform)).some((l) => l.event.detail.consentReference === ref));
    await fetch(`${platform.eventsUrl}/_local/faults/CompleteConsentReference`, { method: 'PUT', body: JSON.stringify({ failing: false }) });

    // Before its bound (2 minutes) the sweeper leaves it alone.
    const early = await platform.control('sweep', { time: new Date().toISOString() });
    expect(early.republished).toBe(0);
    expect(await referenceStatus(platform, tenant, ref)).toBe('pending');

    const later = await platform.control('sweep', { time: new Date(Date.now() + 3 * 60_000).toISOString() });
    expect(later.republished).toBeGreaterThanOrEqual(1);
    await waitUntil(async () => (await referenceStatus(platform, tenant, ref)) === 'active');
    await waitUntil(async () => (await unconfirmedOutboxRows(platform)).length === 0);
    // Confirmed: the next sweep has nothing to do.
    const after = await platform.control('sweep', { time: new Date(Date.now() + 10 * 60_000).toISOString() });
    expect(after).toEqual({ due: 0, republished: 0, failed: 0, truncated: false });
  }, 60_000);

  it('outbox rows the relay does not publish (in AWS: records the pipe parked in its DLQ) are re-published by the sweeper', async () => {
    await platform.control('relay/stop');
    const { id: ref } = await requestReference();
    const swept = await platform.control('sweep', { time: new Date(Date.now() + 3 * 60_000).toISOString() });
    expect(swept.republished).toBeGreaterThanOrEqual(1);
    await waitUntil(async () => (await referenceStatus(platform, tenant, ref)) === 'active');
    // The Created event is an outbox row too: with the relay still down, the next sweep publishes it.
    await platform.control('sweep', { time: new Date(Date.now() + 3 * 60_000).toISOString() });
    await waitUntil(async () => (await lostEvents([ref])) === 0);
    await platform.control('relay/start');
    await waitUntil(async () => (await unconfirmedOutboxRows(platform)).length === 0);
  }, 60_000);

  it('refuses bad control input with a JSON 400', async () => {
    const response = await fetch(`${platform.controlUrl}/sweep`, { method: 'POST', body: '{"time": "yesterday"}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: expect.stringMatching(/ISO 8601/) });
    const replay = await fetch(`${platform.eventsUrl}/_local/dead-letters/replay`, { method: 'POST', body: '{"eventIds": "x"}' });
    expect(replay.status).toBe(400);
  });
});
