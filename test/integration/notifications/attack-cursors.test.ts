import { cursorBinding, writeCursor } from '../../../shared/platform/cursor.js';
import { call, systemToken } from '../../support/api.js';
import { profileWorld, type World } from '../profile/support.js';
import { partnerToken, type Receiver, startReceiver } from './support.js';

/**
 * Attack finding M3: the dead-letter cursor carried a full DynamoDB start key taken from the client, bound only
 * by an unsigned hash anyone can compute. A forged cursor must be a clear 400 `InvalidCursor`, never a 500, on
 * the partner's route and on the operator's, which shares the code.
 */
let world: World;
let hook: Receiver;
let subscriptionId: string;

beforeAll(async () => {
  world = await profileWorld();
  hook = await startReceiver();
  const created = await call('POST', '/profile/v1/subscriptions', { token: await partnerToken(world.tenant, world.partnerA), body: { url: hook.url, entityTypes: ['PartnerData'] } });
  if (created.status !== 201) throw new Error(`subscribe: ${created.status} ${created.text}`);
  subscriptionId = created.body.subscriptionId as string;
});
afterAll(() => hook.close());

/** A cursor as an attacker builds it: the binding is a plain hash of values the attacker knows. */
const forged = (position: Record<string, unknown>) => writeCursor('notification-dead-letters', cursorBinding(world.tenant, world.partnerA, subscriptionId), position);

const partnerPage = async (cursor: string) =>
  call('GET', `/profile/v1/subscriptions/${subscriptionId}/deadletters?cursor=${cursor}`, { token: await partnerToken(world.tenant, world.partnerA) });
const operatorPage = async (cursor: string) =>
  call('GET', `/admin/v1/tenants/${world.tenant}/partners/${world.partnerA}/subscriptions/${subscriptionId}/deadletters?cursor=${cursor}`, { token: await systemToken() });

describe('dead-letter cursors are positions, not start keys', () => {
  const attacks: Record<string, Record<string, unknown>> = {
    'a start key of another partition': { k: { PK: 'T#x#PARTNER#y#NOTIFY#SUB#z', SK: 'DELIVERY#1', GSI2PK: 'T#other#PARTNER#p#NOTIFY#SUB#s#DEAD', GSI2SK: '2026-01-01T00:00:00.000Z#1' } },
    'a start key with only the index keys changed': { k: { PK: 'a', SK: 'b', GSI2PK: 'c', GSI2SK: 'd' } },
    'a position that is no dead-letter sort key': { k: 'DELIVERY#not-a-time' },
    'an empty position': { k: '' },
  };

  for (const [name, position] of Object.entries(attacks)) {
    it(`answers ${name} with 400 InvalidCursor on the partner's and the operator's route`, async () => {
      for (const page of [partnerPage, operatorPage]) {
        const answer = await page(forged(position));
        expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 400, code: 'InvalidCursor' });
      }
    });
  }

  it('still pages from a well-formed position inside the caller\'s own subscription', async () => {
    const answer = await partnerPage(forged({ k: '2026-01-01T00:00:00.000Z#00000000-0000-4000-8000-000000000000' }));
    expect(answer.status).toBe(200);
    expect(answer.body.deadLetters).toEqual([]);
  });
});
