import { readConsentRows } from '../../../shared/consent/consent-rows.js';
import { keyForGrantFromRows, requireGrantedKey } from '../../../shared/consent/data-keys.js';
import { call } from '../../support/api.js';
import { activeReference, BASE, enc, failure, keyRows, mergeReferences, SCHEMAS, tenantWithMetamodel, type TestTenant, useLocalPlatformFromTests } from './support.js';

/**
 * Crypto-shredding covers a merged reference: a revoke on the leader also destroys the keys its aliases
 * still hold for the revoked schemas, so data sealed under an alias before the merge is gone as well.
 */
let t: TestTenant;
beforeAll(async () => {
  useLocalPlatformFromTests();
  t = await tenantWithMetamodel('shred');
});

const put = (token: string, ref: string, schema: string, granted: boolean) =>
  call('PUT', `${BASE}/${t.tenant}/consents/${ref}/schemas/${enc(schema)}`, { token, body: { granted } });

/** Seals a value under the alias's own key (as profile did before the merge); returns how to try to open it again. */
async function sealUnder(ref: string, schema: string) {
  const key = await requireGrantedKey(t.tenant, ref, schema);
  const sealed = key.seal('before the merge', { item: 'x' });
  const grantBlob = key.grantBlob;
  key.dispose();
  return async () => {
    const reader = await keyForGrantFromRows(t.tenant, await readConsentRows(t.tenant, ref, schema), ref, schema, grantBlob);
    try {
      return reader.open(sealed, { item: 'x' }).toString();
    } finally {
      reader.dispose();
    }
  };
}

describe('revoking a consent of a merged reference', () => {
  it("destroys the aliases' keys of the revoked schema in the same change: data sealed under an alias cannot be opened again", async () => {
    const g1 = await t.guest('g-shred-1');
    const { ref: ref1 } = await activeReference(t, g1);
    const { ref: ref3 } = await activeReference(t, await t.guest('g-shred-3'));
    const reopen = await sealUnder(ref3, SCHEMAS.cart);
    expect(await reopen()).toBe('before the merge');
    expect((await mergeReferences(t.tenant, t.admin, ref1, [ref3])).status).toBe(200);

    expect((await put(g1, ref1, SCHEMAS.cart, false)).status).toBe(200);

    const left = await keyRows(t.tenant, ref3);
    expect(left).not.toContain(`SCHEMAKEY#${SCHEMAS.cart}`);
    expect(left).toContain(`SCHEMAKEY#${SCHEMAS.productViews}`); // what was not revoked stays
    expect(await failure(reopen())).toBe('ConsentKeyDestroyed');
    // The alias's own consent row agrees with its keys.
    expect((await readConsentRows(t.tenant, ref3, SCHEMAS.cart)).consent).toMatchObject({ granted: false, grantBlob: null });
    const history = await call('GET', `${BASE}/${t.tenant}/consents/${ref1}/history`, { token: g1 });
    expect(history.body.verification.valid).toBe(true);
    expect(history.body.entries.at(-1)).toMatchObject({ action: 'revoked', changes: [{ schema: SCHEMAS.cart, from: true, to: false }], references: [ref3] });
  });

  it('the merge itself destroys what an alias granted and the leader does not (the merged profile keeps the leader’s consent)', async () => {
    const g1 = await t.guest('g-shred-4');
    const { ref: leader } = await activeReference(t, g1);
    expect((await put(g1, leader, SCHEMAS.addedToCart, false)).status).toBe(200);
    const { ref: alias } = await activeReference(t, await t.anonymous());
    const reopen = await sealUnder(alias, SCHEMAS.addedToCart);
    expect((await mergeReferences(t.tenant, t.admin, leader, [alias])).status).toBe(200);
    // Decision 0204: shredded in the merge's transaction, the alias's row says why.
    expect(await keyRows(t.tenant, alias)).not.toContain(`SCHEMAKEY#${SCHEMAS.addedToCart}`);
    expect(await keyRows(t.tenant, alias)).toContain(`SCHEMAKEY#${SCHEMAS.cart}`);
    expect((await readConsentRows(t.tenant, alias, SCHEMAS.addedToCart)).consent).toMatchObject({ granted: false, grantBlob: null, shreddedBy: 'merge', mergedInto: leader });
    expect(await failure(reopen())).toBe('ConsentKeyDestroyed');

    const again = await put(g1, leader, SCHEMAS.addedToCart, false);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ granted: false, leadingConsentReference: leader });

    // Nothing left to destroy: a further revoke is a no-op again (no history entry).
    const before = (await call('GET', `${BASE}/${t.tenant}/consents/${leader}/history`, { token: g1 })).body.entries.length;
    expect((await put(g1, leader, SCHEMAS.addedToCart, false)).status).toBe(200);
    expect((await call('GET', `${BASE}/${t.tenant}/consents/${leader}/history`, { token: g1 })).body.entries.length).toBe(before);
  });
});
