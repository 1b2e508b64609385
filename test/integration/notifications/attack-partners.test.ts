import { createPartner, organisation, partnerToken as partnerApiToken } from '../partner/support.js';
import { call } from '../../support/api.js';
import { profileWorld, type World } from '../profile/support.js';
import { partnerToken, type Receiver, startReceiver } from './support.js';

/**
 * Attack finding L3: the subscription routes accepted any `partner_id` — unknown in the tenant, locked, or one
 * that blurs key segments (`#`). They follow the CRM pull's rule: one partner-id pattern (403
 * PartnerTokenRequired otherwise) and a partner registered and not locked in the token's tenant (403
 * PartnerNotRegistered), on reads and writes alike, before anything is read or written.
 */
let world: World;
let hook: Receiver;

beforeAll(async () => {
  world = await profileWorld();
  hook = await startReceiver();
});
afterAll(() => hook.close());

const body = () => ({ url: hook.url, entityTypes: ['PartnerData'] });

async function everyRoute(partner: string) {
  const token = await partnerToken(world.tenant, partner);
  const id = '0b7e6c1a-3f0e-4c1b-9d7e-5a2f1c3b4d5e';
  return Promise.all([
    call('POST', '/profile/v1/subscriptions', { token, body: body() }),
    call('GET', '/profile/v1/subscriptions', { token }),
    call('GET', `/profile/v1/subscriptions/${id}`, { token }),
    call('PATCH', `/profile/v1/subscriptions/${id}`, { token, body: { paused: true } }),
    call('DELETE', `/profile/v1/subscriptions/${id}`, { token }),
    call('POST', `/profile/v1/subscriptions/${id}/secret`, { token }),
    call('GET', `/profile/v1/subscriptions/${id}/deadletters`, { token }),
    call('POST', `/profile/v1/subscriptions/${id}/deadletters/redrive`, { token }),
  ]);
}

describe('only a registered, unlocked partner has subscriptions', () => {
  it.each([
    ['a partner id with #', 'P#1', 'PartnerTokenRequired'],
    ['a partner id with a space', 'P 1', 'PartnerTokenRequired'],
    ['a partner id of 65 characters', 'P'.repeat(65), 'PartnerTokenRequired'],
    ['a partner unknown in the tenant', 'NOSUCHPARTNER', 'PartnerNotRegistered'],
  ])('refuses %s on every route with 403', async (_name, partner, code) => {
    for (const answer of await everyRoute(partner)) expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 403, code });
  });

  it('refuses a locked partner on every route with 403 PartnerNotRegistered; unlocked again, it subscribes', async () => {
    const admin = await partnerApiToken(world.tenant, world.partnerB);
    const partner = await createPartner(admin, world.partnerA, organisation('Locked Partner GmbH'));
    const subscribed = await call('POST', '/profile/v1/subscriptions', { token: await partnerToken(world.tenant, partner), body: body() });
    expect(subscribed.status).toBe(201);
    expect((await call('PATCH', `/v2/partner/${partner}`, { token: admin, body: { gesperrt: true } })).status).toBeLessThan(300);
    for (const answer of await everyRoute(partner)) expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 403, code: 'PartnerNotRegistered' });
    expect((await call('PATCH', `/v2/partner/${partner}`, { token: admin, body: { gesperrt: false } })).status).toBeLessThan(300);
    expect((await call('GET', '/profile/v1/subscriptions', { token: await partnerToken(world.tenant, partner) })).status).toBe(200);
  });
});
