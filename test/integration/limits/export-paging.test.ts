import { randomBytes } from 'node:crypto';
import { call } from '../../support/api.js';
import { profileWorld, type Guest, type World } from '../profile/support.js';

/**
 * Lambda answers at most 6 MB synchronously (API Gateway would fail the call in AWS). 110 objects of
 * 60 KB used to come back as one 6.5 MB export; the export is paged now: every page stays far below the
 * limit, and the pages together are exactly the data.
 */
const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;
const OBJECTS = 110;

let world: World;
let guest: Guest;
const stored = new Map<string, { blob: string; n: number }>();

beforeAll(async () => {
  world = await profileWorld();
  guest = await world.guest();
  const token = await guest.token();
  const names = Array.from({ length: OBJECTS }, (_, i) => `obj-${String(i).padStart(3, '0')}`);
  for (let i = 0; i < names.length; i += 5) {
    await Promise.all(
      names.slice(i, i + 5).map(async (name, j) => {
        const data = { blob: randomBytes(45_000).toString('base64'), n: i + j }; // 60,000 characters of JSON
        const response = await call('PUT', `/profile/v1/partnerdata/${name}`, { token, body: data });
        if (response.status !== 201) throw new Error(`${name}: ${response.status} ${response.text}`);
        stored.set(name, data);
      }),
    );
  }
}, 240_000);

async function walk(token: string, first: string) {
  const pages = [];
  let path: string | undefined = first;
  while (path) {
    const response = await call('GET', path, { token });
    expect({ status: response.status, text: response.status === 200 ? '' : response.text }).toEqual({ status: 200, text: '' });
    pages.push(response);
    const next = response.body.next as string | undefined;
    if (next) expect(response.headers.get('link')).toContain(`next=${next}`);
    else expect(response.headers.get('link')).toBeNull();
    path = next ? `/profile/v1/me/export?next=${next}` : undefined;
    expect(pages.length).toBeLessThan(50);
  }
  return pages;
}

describe('the export of a large profile arrives in pages that hold in AWS', () => {
  it('answers 110 objects of 60 KB in pages of about 1 MiB each, and the pages together equal the stored data', async () => {
    const token = await guest.token({ noPartner: true });
    const pages = await walk(token, '/profile/v1/me/export');

    const sizes = pages.map((p) => Buffer.byteLength(p.text, 'utf8'));
    expect(Math.max(...sizes)).toBeLessThan(1.2 * 1024 * 1024);
    expect(Math.max(...sizes)).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(6.5e6); // the whole is still above the limit
    expect(pages.map((p) => p.body.page)).toEqual(pages.map((_, i) => i + 1));
    expect(new Set(pages.map((p) => p.body.exportedAt)).size).toBe(1);
    // The first page carries the small parts, the later ones only items and history.
    expect(pages[0]!.body.consent.consentReference).toBe(guest.ref);
    expect(pages[0]!.body.relations).toEqual([expect.objectContaining({ partnerId: world.partnerA })]);
    for (const page of pages.slice(1)) expect(page.body.consent).toBeUndefined();

    const items = pages.flatMap((p) => p.body.items as Array<{ name: string; data: unknown; entityType: string }>);
    expect(items.map((i) => i.name)).toEqual([...stored.keys()].sort());
    expect(Object.fromEntries(items.map((i) => [i.name, i.data]))).toEqual(Object.fromEntries(stored));
    // The history comes last, verified page by page.
    const history = pages.flatMap((p) => p.body.history as Array<{ seq: number; action: string }>);
    expect(history.map((e) => e.action)).toEqual(['created']);
    expect(pages.at(-1)!.body.historyVerification).toEqual({ valid: true, entries: 1 });
  }, 120_000);

  it('lists partner data (limit 100) in pages bounded by bytes too: 110 × 60 KB never comes back as one 6.5 MB page', async () => {
    const token = await guest.token();
    const names: string[] = [];
    const sizes: number[] = [];
    let next: string | undefined;
    do {
      const response = await call('GET', `/profile/v1/partnerdata?limit=100${next ? `&next=${next}` : ''}`, { token });
      expect(response.status).toBe(200);
      sizes.push(Buffer.byteLength(response.text, 'utf8'));
      for (const item of response.body.items as Array<{ name: string; data: unknown }>) {
        expect(item.data).toEqual(stored.get(item.name));
        names.push(item.name);
      }
      next = response.body.next;
      expect(sizes.length).toBeLessThan(30);
    } while (next);
    expect(names).toEqual([...stored.keys()].sort());
    expect(Math.max(...sizes)).toBeLessThan(1.2 * 1024 * 1024);
  }, 60_000);

  it('honours limit (1–100) as well as the byte bound', async () => {
    const token = await guest.token({ noPartner: true });
    const first = await call('GET', '/profile/v1/me/export?limit=3', { token });
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { name: string }) => i.name)).toEqual(['obj-000', 'obj-001', 'obj-002']);
    const second = await call('GET', `/profile/v1/me/export?limit=3&next=${first.body.next}`, { token });
    expect(second.body.items.map((i: { name: string }) => i.name)).toEqual(['obj-003', 'obj-004', 'obj-005']);
    for (const limit of ['0', '101', 'x', '2.5']) {
      const refused = await call('GET', `/profile/v1/me/export?limit=${limit}`, { token });
      expect({ limit, status: refused.status, code: refused.body?.code }).toEqual({ limit, status: 400, code: 'ValidationFailed' });
    }
  }, 60_000);

  it('refuses a garbage, tampered or foreign cursor with 400 InvalidCursor, never 500 and never another guest’s data', async () => {
    const token = await guest.token({ noPartner: true });
    const first = await call('GET', '/profile/v1/me/export?limit=2', { token });
    const cursor = first.body.next as string;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const forge = (change: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...decoded, ...change }), 'utf8').toString('base64url');
    const garbage = [
      'abc',
      Buffer.from('not json').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
      forge({ k: 'REL#x' }),
      forge({ k: 42 }),
      forge({ s: 'everything' }),
      forge({ n: -1 }),
      forge({ t: 'yesterday' }),
      forge({ p: 'consent-history' }),
      forge({ b: 'A'.repeat(22) }),
      forge({ s: 'history', h: 'garbage' }),
    ];
    for (const next of garbage) {
      const response = await call('GET', `/profile/v1/me/export?next=${next}`, { token });
      expect({ next, status: response.status, code: response.body?.code }).toEqual({ next, status: 400, code: expect.stringMatching(/^(InvalidCursor|ValidationFailed)$/) });
    }
    const bad = await call('GET', '/profile/v1/me/export?next=%ZZ', { token });
    expect(bad.status).toBe(400);

    // Another guest replaying this guest's cursor gets 400, not this guest's items.
    const other = await world.guest();
    await call('PUT', '/profile/v1/partnerdata/own', { token: await other.token(), body: { mine: true } });
    const replay = await call('GET', `/profile/v1/me/export?next=${cursor}`, { token: await other.token({ noPartner: true }) });
    expect(replay.status).toBe(400);
    expect(replay.body.code).toBe('InvalidCursor');
    expect(replay.text).not.toContain('obj-00');
  }, 60_000);
});
