import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { call, tableNames, testDynamo } from '../../support/api.js';
import { profileWorld, type Guest, type World } from '../profile/support.js';

/** The consent history grows with every change; it is answered in pages, each verified link by link. */
const TOGGLES = 24;

let world: World;
let guest: Guest;
const historyPath = (g: Guest, query = '') => `/profile-consent/v1/${world.tenant}/consents/${g.ref}/history${query}`;

beforeAll(async () => {
  world = await profileWorld();
  guest = await world.guest();
  for (let i = 0; i < TOGGLES; i++) {
    const response = await world.setConsent(guest, 'PartnerData', i % 2 === 1);
    if (response.status !== 200) throw new Error(`toggle ${i}: ${response.status} ${response.text}`);
  }
}, 120_000);

async function walk(token: string, g: Guest, limit: number) {
  const pages = [];
  let next: string | undefined;
  do {
    const response = await call('GET', historyPath(g, `?limit=${limit}${next ? `&next=${next}` : ''}`), { token });
    expect({ status: response.status, text: response.status === 200 ? '' : response.text }).toEqual({ status: 200, text: '' });
    pages.push(response);
    next = response.body.next;
    if (next) expect(response.headers.get('link')).toContain(`next=${next}`);
    expect(pages.length).toBeLessThan(40);
  } while (next);
  return pages;
}

describe('the consent history is paged', () => {
  it('answers the whole chain in one verified page by default, as before, when it fits', async () => {
    const response = await call('GET', historyPath(guest), { token: await guest.consentToken() });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ leadingConsentReference: guest.ref, chainLength: TOGGLES + 1, verification: { valid: true, entries: TOGGLES + 1 } });
    expect(response.body.entries.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: TOGGLES + 1 }, (_, i) => i + 1));
    expect(response.body.next).toBeUndefined();
    expect(response.headers.get('link')).toBeNull();
  });

  it('walks the chain in pages of `limit`: together exactly the whole chain, each page valid', async () => {
    const token = await guest.consentToken();
    const whole = (await call('GET', historyPath(guest), { token })).body.entries;
    const pages = await walk(token, guest, 10);
    expect(pages.map((p) => p.body.entries.length)).toEqual([10, 10, 5]);
    expect(pages.map((p) => p.body.verification.valid)).toEqual([true, true, true]);
    expect(pages.flatMap((p) => p.body.entries)).toEqual(whole);
    // Consecutive entries alternate between revoke and grant after the creation.
    expect(whole.slice(1).map((e: { action: string }) => e.action)).toEqual(Array.from({ length: TOGGLES }, (_, i) => (i % 2 === 0 ? 'revoked' : 'granted')));
  });

  it('detects a removed entry on the page after it (the link to the stored entry before each page is checked)', async () => {
    const victim = await world.guest();
    for (let i = 0; i < 6; i++) await world.setConsent(victim, 'PartnerData', i % 2 === 1);
    const token = await victim.consentToken();
    const first = await call('GET', historyPath(victim, '?limit=3'), { token });
    expect(first.body.verification.valid).toBe(true);
    const key = { PK: `T#${world.tenant}#REF#${victim.ref}#HISTORY`, SK: `ENTRY#${String(3).padStart(10, '0')}` };
    const entry = (await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: key }))).Item;
    expect(entry).toBeDefined();
    await testDynamo().send(new DeleteCommand({ TableName: tableNames.data, Key: key }));
    try {
      const second = await call('GET', historyPath(victim, `?limit=3&next=${first.body.next}`), { token });
      expect(second.status).toBe(200);
      expect(second.body.verification).toMatchObject({ valid: false, brokenAt: 3, reason: 'sequence gap' });
    } finally {
      await testDynamo().send(new PutCommand({ TableName: tableNames.data, Item: entry }));
    }
  });

  it('refuses bad paging input with a JSON 400 and never serves another reference’s entries through a cursor', async () => {
    const token = await guest.consentToken();
    for (const query of ['?limit=0', '?limit=1001', '?limit=abc', '?next=%ZZ', '?next=abc', `?next=${Buffer.from('{"v":1}').toString('base64url')}`]) {
      const response = await call('GET', historyPath(guest, query), { token });
      expect({ query, status: response.status, json: typeof response.body?.message }).toEqual({ query, status: 400, json: 'string' });
    }
    const cursor = (await call('GET', historyPath(guest, '?limit=2'), { token })).body.next as string;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    for (const after of [-1, 1.5, 'x', 10_000]) {
      const forged = Buffer.from(JSON.stringify({ ...decoded, after }), 'utf8').toString('base64url');
      const response = await call('GET', historyPath(guest, `?next=${forged}`), { token });
      expect({ after, status: response.status, code: response.body?.code }).toEqual({ after, status: 400, code: 'InvalidCursor' });
    }
    // The cursor belongs to this reference: on another guest's own reference it is refused.
    const other = await world.guest();
    const replay = await call('GET', historyPath(other, `?next=${cursor}`), { token: await other.consentToken() });
    expect(replay.status).toBe(400);
    expect(replay.body.code).toBe('InvalidCursor');
  });
});
