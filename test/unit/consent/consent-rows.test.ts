import { describe, expect, it } from '@jest/globals';
import {
  type ConsentRows,
  lostGrant,
  requireCurrentGrant,
  requireReadableGrant,
  requireUsableSchemaRow,
} from '../../../shared/consent/consent-rows.js';
import { GENESIS_HASH, type ReferenceItem } from '../../../shared/consent/model.js';

/** The one implementation of consent's data rules, evaluated over rows (what profile reads in its own BatchGet). */
const reference = (fields: Partial<ReferenceItem> = {}): ReferenceItem => ({
  tenant: 'shop', ref: 'r-1', kind: 'user', status: 'active', blocked: false, createdAt: '', updatedAt: '',
  historySeq: 1, historyHash: GENESIS_HASH, ...fields,
});
const granted = (fields: Partial<ConsentRows> = {}): ConsentRows => ({
  reference: reference(),
  consent: { tenant: 'shop', ref: 'r-1', schema: 'cart', consentClass: 'CartEvents', granted: true, grantBlob: 'b-1', updatedAt: '' },
  schema: { tenant: 'shop', schema: 'cart', consentClass: 'CartEvents', owner: 'user', title: 'Cart', description: '', active: true, updatedAt: '' },
  dataKey: { wrapped: 'dk' },
  schemaKey: { wrapped: 'sk', grantBlob: 'b-1' },
  ...fields,
});
const code = (run: () => unknown) => {
  try {
    run();
    return 'no error';
  } catch (error) {
    return (error as Error).name;
  }
};

describe('consent rules over rows', () => {
  it('hands out the current grant of a granted consent under an active, unblocked reference', () => {
    expect(requireCurrentGrant(granted(), 'r-1', 'cart')).toBe('b-1');
    expect(requireReadableGrant(granted(), 'r-1', 'cart', 'b-1')).toBe('b-1');
    expect(lostGrant(granted(), 'b-1')).toBeUndefined();
  });

  it('refuses a missing, pending or blocked reference', () => {
    expect(code(() => requireUsableSchemaRow(granted({ reference: undefined }), 'r-1', 'cart'))).toBe('ConsentReferenceNotFound');
    expect(code(() => requireUsableSchemaRow(granted({ reference: reference({ status: 'pending' }) }), 'r-1', 'cart'))).toBe('ConsentReferencePending');
    expect(code(() => requireCurrentGrant(granted({ reference: reference({ blocked: true }) }), 'r-1', 'cart'))).toBe('ConsentReferenceBlocked');
  });

  it('refuses removed schemas and schemas of the other side', () => {
    const rows = granted();
    expect(code(() => requireCurrentGrant({ ...rows, schema: { ...rows.schema!, active: false } }, 'r-1', 'cart'))).toBe('SchemaNotFound');
    expect(code(() => requireCurrentGrant({ ...rows, schema: undefined }, 'r-1', 'cart'))).toBe('SchemaNotFound');
    expect(code(() => requireCurrentGrant({ ...rows, schema: { ...rows.schema!, owner: 'tenant' } }, 'r-1', 'cart'))).toBe('SchemaNotFound');
    expect(code(() => requireCurrentGrant({ ...rows, reference: reference({ kind: 'tenant', ref: 'TENANT' }) }, 'TENANT', 'cart'))).toBe('SchemaNotFound');
  });

  it('writes need a granted consent whose key material is intact', () => {
    const rows = granted();
    expect(code(() => requireCurrentGrant({ ...rows, consent: { ...rows.consent!, granted: false, grantBlob: null } }, 'r-1', 'cart'))).toBe('ConsentNotGranted');
    expect(code(() => requireCurrentGrant({ ...rows, schemaKey: undefined }, 'r-1', 'cart'))).toBe('ConsentNotGranted');
    expect(code(() => requireCurrentGrant({ ...rows, schemaKey: { wrapped: 'sk', grantBlob: 'other' } }, 'r-1', 'cart'))).toBe('ConsentNotGranted');
    expect(code(() => requireCurrentGrant({ ...rows, dataKey: undefined }, 'r-1', 'cart'))).toBe('ConsentNotGranted');
  });

  it('data of a revoked grant is lost: revoked while not granted, destroyed once granted again', () => {
    const revoked = granted({ consent: { ...granted().consent!, granted: false, grantBlob: null }, schemaKey: undefined });
    expect(lostGrant(revoked, 'b-1')).toBe('revoked');
    const regranted = granted({ consent: { ...granted().consent!, grantBlob: 'b-2' }, schemaKey: { wrapped: 'sk2', grantBlob: 'b-2' } });
    expect(lostGrant(regranted, 'b-1')).toBe('destroyed');
    expect(code(() => requireReadableGrant(regranted, 'r-1', 'cart', 'b-1'))).toBe('ConsentKeyDestroyed');
    expect(code(() => requireReadableGrant(revoked, 'r-1', 'cart', 'b-1'))).toBe('ConsentKeyDestroyed');
  });
});
