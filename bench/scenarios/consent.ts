/** Consent (issue 4): reading a reference's consents, and a class grant/revoke over N schemas. */
import type { BenchContext, Scenario } from '../scenario.js';
import { activeReference, metamodel, onboard } from '../support.js';

const TENANT = 'bench-consent';
const CLASS_SCHEMAS = 8;
const BASE = `/profile-consent/v1/${TENANT}`;

let world: Promise<{ ref: string; token: string }> | undefined;
/** One tenant with a metamodel (`BenchMany` holds N schemas) and one guest's active reference. */
function setUp(context: BenchContext) {
  world ??= (async () => {
    await onboard(context, TENANT);
    const schemas = [
      ...Array.from({ length: CLASS_SCHEMAS }, (_, i) => ({ schema: `https://bench.example/metamodel/many/${i}`, consentClass: 'BenchMany' })),
      { schema: 'https://bench.example/metamodel/single', consentClass: 'BenchSingle' },
    ];
    await metamodel(context, TENANT, schemas);
    return activeReference(context, TENANT, 'bench-consent-guest');
  })();
  return world;
}

export const scenarios: Scenario[] = [
  {
    name: 'GET consents of a reference',
    needs: ['GET /profile-consent/v1/{tenant}/consents/{ref}'],
    maxCalls: { DynamoDB: 1, KMS: 0 },
    async prepare(context) {
      const { ref, token } = await setUp(context);
      return { request: () => ({ method: 'GET', path: `${BASE}/consents/${ref}`, token }), expectStatus: [200] };
    },
  },
  {
    name: `PUT class consents, ${CLASS_SCHEMAS} schemas (revoke/grant alternating)`,
    needs: ['PUT /profile-consent/v1/{tenant}/consents/{ref}/classes/{consentClass}'],
    maxCalls: { 'DynamoDB.TransactWriteItems': 1, KMS: 1 },
    async prepare(context) {
      const { ref, token } = await setUp(context);
      // Even requests revoke, odd ones grant: every request changes all N consents.
      return {
        request: (i) => ({ method: 'PUT', path: `${BASE}/consents/${ref}/classes/BenchMany`, token, body: { granted: Math.abs(i) % 2 === 1 } }),
        expectStatus: [200],
      };
    },
  },
];
