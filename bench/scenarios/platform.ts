import { CONSENT_VIEW } from '../../shared/platform/scopes.js';
/** The foundation's slice: the consent class dictionary and tenant onboarding. */
import type { Scenario } from '../scenario.js';

export const scenarios: Scenario[] = [
  {
    // No function, no token, no AWS call: what the local gateway and HTTP cost on their own.
    name: 'GET /.well-known/jwks.json (gateway floor, no function)',
    needs: [],
    maxCalls: { DynamoDB: 0, KMS: 0 },
    async prepare() {
      return { request: () => ({ method: 'GET', path: '/.well-known/jwks.json' }), expectStatus: [200] };
    },
  },
  {
    name: 'GET /profile-consent/v1/consentClasses',
    needs: ['GET /profile-consent/v1/consentClasses'],
    maxCalls: { DynamoDB: 1, KMS: 0 },
    async prepare(context) {
      const token = await context.token({ principal: 'guest', sub: 'bench-guest', tenant: context.tenant, scope: CONSENT_VIEW });
      return { request: () => ({ method: 'GET', path: '/profile-consent/v1/consentClasses', token }), expectStatus: [200] };
    },
  },
  {
    name: 'PUT /admin/v1/consentClasses/{c} (update)',
    needs: ['PUT /admin/v1/consentClasses/{class}'],
    maxCalls: { DynamoDB: 1, KMS: 0 },
    async prepare(context) {
      const token = await context.systemToken();
      return {
        request: (i) => ({ method: 'PUT', path: '/admin/v1/consentClasses/BenchClass', token, body: { title: `Bench ${i}`, description: 'benchmark' } }),
        expectStatus: [200, 201],
      };
    },
  },
  {
    name: 'PUT /admin/v1/tenants/{t} (existing: idempotent read)',
    needs: ['PUT /admin/v1/tenants/{tenant}'],
    maxCalls: { DynamoDB: 1, KMS: 0 },
    async prepare(context) {
      const token = await context.systemToken();
      const body = {
        name: 'My Comics Shop',
        rootPartner: { name: 'My Comics Shop GmbH' },
        administrator: { vorname: 'Ada', nachname: 'Admin', email: `admin@${context.tenant}.example` },
      };
      return { request: () => ({ method: 'PUT', path: `/admin/v1/tenants/${context.tenant}`, token, body }), expectStatus: [200] };
    },
  },
];
