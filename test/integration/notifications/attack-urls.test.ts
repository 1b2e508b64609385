import { call } from '../../support/api.js';
import { profileWorld, type World } from '../profile/support.js';
import { partnerToken, type Receiver, startReceiver } from './support.js';

/**
 * Attack finding L5: a subscription URL was stored and echoed exactly as given — with CR/LF (a header injection
 * waiting for whoever logs or forwards it) or in an unusual spelling of the host. Control characters and
 * whitespace are a 400; what is stored and answered is the URL as parsed (`URL.href`).
 */
let world: World;
let hook: Receiver;
let port: string;

beforeAll(async () => {
  world = await profileWorld();
  hook = await startReceiver();
  port = new URL(hook.url).port;
});
afterAll(() => hook.close());

const create = async (url: string) => call('POST', '/profile/v1/subscriptions', { token: await partnerToken(world.tenant, world.partnerA), body: { url, entityTypes: ['PartnerData'] } });

describe('subscription URLs', () => {
  it.each([
    ['CR/LF', (p: string) => `http://127.0.0.1:${p}/h\r\nX: y`],
    ['a tab', (p: string) => `http://127.0.0.1:${p}/hooks\tmydata`],
    ['a space', (p: string) => `http://127.0.0.1:${p}/hooks mydata`],
    ['a leading space', (p: string) => ` http://127.0.0.1:${p}/hooks/mydata`],
    ['NUL', (p: string) => `http://127.0.0.1:${p}/hooks/\u0000`],
    ['a C1 control', (p: string) => `http://127.0.0.1:${p}/hooks/\u0085`],
  ])('refuses a URL with %s (400), creating nothing', async (_name, url) => {
    const before = (await call('GET', '/profile/v1/subscriptions', { token: await partnerToken(world.tenant, world.partnerA) })).body.subscriptions.length;
    const answer = await create(url(port));
    expect(answer.status).toBe(400);
    expect(answer.text).not.toContain('\r');
    expect((await call('GET', '/profile/v1/subscriptions', { token: await partnerToken(world.tenant, world.partnerA) })).body.subscriptions).toHaveLength(before);
  });

  it('stores and answers the parsed URL, on create and on change', async () => {
    const created = await create(`http://0x7f000001:${port}/hooks/mydata`);
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(`http://127.0.0.1:${port}/hooks/mydata`);
    const path = `/profile/v1/subscriptions/${created.body.subscriptionId}`;
    const token = await partnerToken(world.tenant, world.partnerA);
    expect((await call('GET', path, { token })).body.url).toBe(`http://127.0.0.1:${port}/hooks/mydata`);
    const changed = await call('PATCH', path, { token, body: { url: `HTTP://127.0.0.1:${port}/hooks/../hooks/mydata?x` } });
    expect(changed.status).toBe(200);
    expect(changed.body.url).toBe(`http://127.0.0.1:${port}/hooks/mydata?x`);
    expect((await call('PATCH', path, { token, body: { url: `http://127.0.0.1:${port}/h\r\nX: y` } })).status).toBe(400);
    expect((await call('GET', path, { token })).body.url).toBe(`http://127.0.0.1:${port}/hooks/mydata?x`);
  });
});
