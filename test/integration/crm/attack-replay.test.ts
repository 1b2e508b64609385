import { signatureHeader } from '../../../shared/notifications/signing.js';
import { call, waitFor } from '../../support/api.js';
import type { Receiver } from '../notifications/support.js';
import { profileWorld, type World } from '../profile/support.js';
import { acknowledge, nowSeconds, pull, subscribedSecret } from './support.js';

/**
 * Attack finding L1: the acknowledgement's replay guard read the timestamp with a stricter pattern than the
 * verifier, so a header the verifier accepts as the same signature (`t=0<T>`, ` t =<T>`) counted as a new one
 * and a replay answered 200 instead of 409. Every spelling of one signature is one use.
 */
let world: World;
const receivers: Receiver[] = [];
let secret: string;

beforeAll(async () => {
  world = await profileWorld();
  secret = await subscribedSecret(world.tenant, world.partnerA, receivers);
}, 90_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function pendingPurgeId(): Promise<string> {
  const guest = await world.guest();
  expect((await call('PUT', '/profile/v1/partnerdata/favourites', { token: await guest.token(), body: { n: 1 } })).status).toBe(201);
  await world.setConsent(guest, 'PartnerData', false);
  return waitFor(async () => {
    const page = await pull(world.tenant, world.partnerA, '/purges?limit=500');
    return (page.body.purges as { guest: string; purgeId: string }[]).find((p) => p.guest === guest.sub)?.purgeId;
  }, { timeoutMs: 20_000 });
}

describe('a replayed acknowledgement is refused however its header is spelled', () => {
  it('answers 409 SignatureReplayed to the same signature with a zero-padded or spaced timestamp', async () => {
    const purgeId = await pendingPurgeId();
    const body = JSON.stringify({ purgeId });
    const at = nowSeconds();
    const original = signatureHeader([secret], at, body);
    const v1 = original.slice(original.indexOf(',') + 1);
    expect((await acknowledge(world.tenant, world.partnerA, purgeId, { header: original, body })).status).toBe(201);
    for (const header of [`t=0${at},${v1}`, `t=00${at},${v1}`, ` t =${at},${v1}`, `t= ${at} ,${v1}`, `${v1},t=${at}`]) {
      const replay = await acknowledge(world.tenant, world.partnerA, purgeId, { header, body });
      expect({ header, status: replay.status, code: replay.body.code }).toEqual({ header, status: 409, code: 'SignatureReplayed' });
    }
  });
});
