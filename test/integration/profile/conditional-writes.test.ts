import { call } from '../../support/api.js';
import { profileWorld, type World } from './support.js';

/** `If-Match` on partner data: the ETag of a read guards the next write (issue 9, section 2). */
let world: World;
beforeAll(async () => {
  world = await profileWorld();
}, 60_000);

describe('If-Match on PUT and DELETE /profile/v1/partnerdata/{name}', () => {
  it('refuses a write based on a stale version with 412 and keeps the stored object', async () => {
    const token = await (await world.guest()).token();
    const created = await call('PUT', '/profile/v1/partnerdata/cart', { token, body: { n: 1 } });
    expect(created.headers.get('etag')).toBe('"1"');
    const read = await call('GET', '/profile/v1/partnerdata/cart', { token });
    const etag = read.headers.get('etag')!;
    expect(etag).toBe('"1"');
    expect((await call('PUT', '/profile/v1/partnerdata/cart', { token, body: { n: 2 }, headers: { 'if-match': etag } })).status).toBe(200);

    const stale = await call('PUT', '/profile/v1/partnerdata/cart', { token, body: { n: 3 }, headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'PartnerDataVersionMismatch', message: expect.any(String), traceId: expect.any(String) });
    const now = await call('GET', '/profile/v1/partnerdata/cart', { token });
    expect(now.body).toEqual({ n: 2 });
    expect(now.headers.get('etag')).toBe('"2"');

    // A list of tags and weak tags are accepted as the partner API accepts them.
    expect((await call('PUT', '/profile/v1/partnerdata/cart', { token, body: { n: 4 }, headers: { 'if-match': '"9", W/"2"' } })).status).toBe(200);
    expect((await call('GET', '/profile/v1/partnerdata/cart', { token })).body).toEqual({ n: 4 });
  });

  it('If-Match: * means the object must exist; without If-Match a PUT creates', async () => {
    const token = await (await world.guest()).token();
    const missing = await call('PUT', '/profile/v1/partnerdata/fresh', { token, body: { a: 1 }, headers: { 'if-match': '*' } });
    expect(missing.status).toBe(412);
    expect((await call('GET', '/profile/v1/partnerdata/fresh', { token })).status).toBe(404);
    expect((await call('PUT', '/profile/v1/partnerdata/fresh', { token, body: { a: 1 } })).status).toBe(201);
    expect((await call('PUT', '/profile/v1/partnerdata/fresh', { token, body: { a: 2 }, headers: { 'if-match': '*' } })).status).toBe(200);
    expect((await call('GET', '/profile/v1/partnerdata/fresh', { token })).body).toEqual({ a: 2 });
  });

  it('refuses a stale DELETE with 412 and keeps the object; a current one deletes', async () => {
    const token = await (await world.guest()).token();
    await call('PUT', '/profile/v1/partnerdata/note', { token, body: { v: 1 } });
    await call('PUT', '/profile/v1/partnerdata/note', { token, body: { v: 2 } });
    const stale = await call('DELETE', '/profile/v1/partnerdata/note', { token, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect((await call('GET', '/profile/v1/partnerdata/note', { token })).body).toEqual({ v: 2 });
    expect((await call('DELETE', '/profile/v1/partnerdata/note', { token, headers: { 'if-match': '"2"' } })).status).toBe(204);
    expect((await call('GET', '/profile/v1/partnerdata/note', { token })).status).toBe(404);
  });

  it('of parallel writers holding the same ETag exactly one wins, the others get 412', async () => {
    const token = await (await world.guest()).token();
    await call('PUT', '/profile/v1/partnerdata/race', { token, body: { w: 0 } });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, w) =>
      call('PUT', '/profile/v1/partnerdata/race', { token, body: { w: w + 1 }, headers: { 'if-match': '"1"' } })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(412)]);
    const winner = answers.findIndex((a) => a.status === 200) + 1;
    const stored = await call('GET', '/profile/v1/partnerdata/race', { token });
    expect(stored.body).toEqual({ w: winner });
    expect(stored.headers.get('etag')).toBe('"2"');
  });
});
