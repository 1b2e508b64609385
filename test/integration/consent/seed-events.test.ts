import { type BusEnvelope, busEvents, call, waitFor } from '../../support/api.js';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { activeReference, BASE, enc, SCHEMAS, tenantWithMetamodel, type TestTenant } from './support.js';

/**
 * Issue 10: an enricher written against the seed's REVOKED and DELETE events reads `context.consentRefId`,
 * `context.id`, `schema`, `operation` and the schema list (`revokedConsents`). Our events carry them
 * besides our own members; checked on the events as the bus received them, against the catalogue.
 */
let t: TestTenant;
beforeAll(async () => {
  t = await tenantWithMetamodel('seedev');
});

/** What an enricher written for the seed does with an event: which reference, what happened, which schemas. */
function seedEnricher(detail: Record<string, unknown>) {
  const event = detail as { context: { consentRefId: string; id: string }; schema: string; operation: string; revokedConsents: string[] };
  if (event.schema !== 'core/ConsentReference') return undefined;
  return { ref: event.context.consentRefId, eventId: event.context.id, operation: event.operation, schemas: event.revokedConsents };
}

const observed = (type: string, match: (e: BusEnvelope) => boolean) =>
  waitFor(async () => (await busEvents()).find((e) => e['detail-type'] === type && e.detail.tenant === t.tenant && match(e)));

describe("the seed's consent events", () => {
  it('ConsentRevoked carries the seed’s REVOKED members: context.consentRefId, context.id, schema, operation, revokedConsents', async () => {
    const guest = await t.guest('g-seedev-1');
    const { ref } = await activeReference(t, guest);
    const revoked = await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/classes/CartEvents`, { token: guest, body: { granted: false } });
    expect(revoked.status).toBe(200);

    const event = await observed('ConsentRevoked', (e) => e.detail.id === ref);
    expectInCatalogue(event);
    expect(event.detail).toMatchObject({
      id: ref,
      consentReference: ref,
      context: { consentRefId: ref, id: event.detail.eventId },
      schema: 'core/ConsentReference',
      operation: 'REVOKED',
    });
    expect(seedEnricher(event.detail)).toEqual({
      ref, eventId: event.detail.eventId, operation: 'REVOKED', schemas: [SCHEMAS.addedToCart, SCHEMAS.cart].sort(),
    });
  });

  it('ConsentReferenceDeleted carries the seed’s DELETE members and the schemas whose keys went with it', async () => {
    const guest = await t.guest('g-seedev-2');
    const { ref } = await activeReference(t, guest);
    expect((await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(SCHEMAS.productViews)}`, { token: guest, body: { granted: false } })).status).toBe(200);
    expect((await call('DELETE', `${BASE}/${t.tenant}/consents/${ref}`, { token: guest })).status).toBe(204);

    const event = await observed('ConsentReferenceDeleted', (e) => e.detail.id === ref);
    expectInCatalogue(event);
    expect(event.detail).toMatchObject({
      id: ref,
      context: { consentRefId: ref, id: event.detail.eventId },
      schema: 'core/ConsentReference',
      operation: 'DELETE',
      users: ['g-seedev-2'],
    });
    expect(seedEnricher(event.detail)).toEqual({
      ref, eventId: event.detail.eventId, operation: 'DELETE', schemas: [SCHEMAS.addedToCart, SCHEMAS.cart].sort(),
    });
  });

  it('a merge that shreds alias keys the leader does not grant announces it as ConsentRevoked of the alias with mergedInto', async () => {
    const leaderToken = await t.guest('g-seedev-3');
    const { ref: leader } = await activeReference(t, leaderToken);
    expect((await call('PUT', `${BASE}/${t.tenant}/consents/${leader}/schemas/${enc(SCHEMAS.cart)}`, { token: leaderToken, body: { granted: false } })).status).toBe(200);
    const { ref: alias } = await activeReference(t, await t.guest('g-seedev-4'));
    expect((await call('POST', `${BASE}/${t.tenant}/consentReferences/${leader}/aliases`, { token: t.admin, body: { aliases: [alias] } })).status).toBe(200);

    const event = await observed('ConsentRevoked', (e) => e.detail.id === alias);
    expectInCatalogue(event);
    expect(event.detail).toMatchObject({
      id: alias, consentReference: alias, revokedConsents: [SCHEMAS.cart], mergedInto: leader,
      context: { consentRefId: alias }, operation: 'REVOKED',
    });
  });
});
