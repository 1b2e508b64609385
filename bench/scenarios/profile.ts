import { DATA_READ, DATA_SHARE, DATA_WRITE, scopeClaim } from '../../shared/platform/scopes.js';
/** Profile data (issue 6): reading one partner-data object (warm key cache), and importing a share. */
import type { BenchContext, Scenario } from '../scenario.js';
import { activeReference, metamodel, must, onboard } from '../support.js';

const TENANT = 'bench-profile';
const PROFILE_SCOPES = scopeClaim(DATA_READ, DATA_WRITE, DATA_SHARE);

interface World {
  readonly owner: string;
  readonly friend: string;
  readonly sharingIdentifier: string;
}

let world: Promise<World> | undefined;

/** Two guests of one partner app; the owner stores `bench` and shares it, the friend imports it once. */
function setUp(context: BenchContext): Promise<World> {
  world ??= (async () => {
    const { rootPartnerId } = await onboard(context, TENANT);
    await metamodel(context, TENANT, [
      { schema: 'PartnerData', consentClass: 'PartnerData' },
      { schema: 'Person', consentClass: 'MasterData' },
    ]);
    const guest = async (sub: string, given_name: string, family_name: string) => {
      await activeReference(context, TENANT, sub);
      return context.token({ principal: 'guest', tenant: TENANT, sub, partner_id: rootPartnerId, client_id: 'bench-app', scope: PROFILE_SCOPES, given_name, family_name });
    };
    const owner = await guest('bench-owner', 'Olga', 'Owner');
    const friend = await guest('bench-friend', 'Fritz', 'Friend');
    await must(context, { method: 'PUT', path: '/profile/v1/partnerdata/bench', token: owner, body: { items: Array.from({ length: 10 }, (_, i) => ({ sku: `SKU-${i}`, qty: i })) } });
    const shared = await must(context, { method: 'PUT', path: '/profile/v1/partnerdata/bench/share', token: owner });
    await must(context, { method: 'GET', path: '/profile/v1/me', token: friend });
    return { owner, friend, sharingIdentifier: shared.body.sharingIdentifier as string };
  })();
  return world;
}

export const scenarios: Scenario[] = [
  {
    name: 'GET /profile/v1/partnerdata/{name} (warm key cache)',
    needs: ['GET /profile/v1/partnerdata/{name}', 'PUT /profile/v1/partnerdata/{name}'],
    maxCalls: { DynamoDB: 1, KMS: 0 },
    async prepare(context) {
      const { owner } = await setUp(context);
      return { request: () => ({ method: 'GET', path: '/profile/v1/partnerdata/bench', token: owner }), expectStatus: [200] };
    },
  },
  {
    name: 'PUT /profile/v1/import/{id} (refresh the copy)',
    needs: ['PUT /profile/v1/import/{sharingIdentifier}', 'PUT /profile/v1/partnerdata/{name}/share'],
    maxCalls: { 'DynamoDB.TransactWriteItems': 1 },
    async prepare(context) {
      const { friend, sharingIdentifier } = await setUp(context);
      return { request: () => ({ method: 'PUT', path: `/profile/v1/import/${sharingIdentifier}`, token: friend }) };
    },
  },
];
