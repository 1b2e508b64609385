import { call } from '../../support/api.js';
import { profileWorld, type World } from '../profile/support.js';
import { pull } from './support.js';

/**
 * Attack finding (informational): the pull's 423 for a blocked guest named the guest's consent reference id,
 * which the partner otherwise never sees. The answer keeps its status and code and names no reference.
 */
let world: World;

beforeAll(async () => {
  world = await profileWorld();
});

it("answers a blocked guest's pull with 423 ConsentReferenceBlocked without the consent reference id", async () => {
  const guest = await world.guest();
  expect((await call('PUT', '/profile/v1/partnerdata/favourites', { token: await guest.token(), body: { n: 1 } })).status).toBe(201);
  expect((await world.block(guest, true)).status).toBeLessThan(300);
  for (const path of [`/guests/${guest.sub}/data/PartnerData`, `/guests/${guest.sub}/data/PartnerData/6f1c2e0a-8a55-4b8e-9d3a-0c6f3d1f2b11`]) {
    const answer = await pull(world.tenant, world.partnerA, path);
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 423, code: 'ConsentReferenceBlocked' });
    expect(answer.text).not.toContain(guest.ref);
  }
});
