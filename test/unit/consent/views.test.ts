import { describe, expect, it } from '@jest/globals';
import { initialGrants } from '../../../shared/consent/creation.js';
import { GENESIS_HASH, type ConsentItem, type ReferenceItem, type SchemaItem } from '../../../shared/consent/model.js';
import { consentViews, schemasOf } from '../../../shared/consent/views.js';

const schema = (name: string, fields: Partial<SchemaItem> = {}): SchemaItem => ({
  tenant: 'shop', schema: name, consentClass: 'CartEvents', owner: 'user', title: `${name} title`,
  description: `${name} description`, active: true, updatedAt: '', ...fields,
});
const reference = (fields: Partial<ReferenceItem> = {}): ReferenceItem => ({
  tenant: 'shop', ref: 'r-1', kind: 'user', status: 'active', blocked: false, createdAt: '', updatedAt: '',
  historySeq: 0, historyHash: GENESIS_HASH, ...fields,
});
const metamodel = [
  schema('cart'),
  schema('views', { consentClass: 'ProductViews', grantedByDefault: false }),
  schema('gone', { active: false }),
  schema('product', { owner: 'tenant', consentClass: 'Catalog' }),
];

describe('which consents a reference shows', () => {
  it('a user reference shows active user schemas, the TENANT reference active tenant schemas', () => {
    expect(schemasOf(reference(), metamodel).map((s) => s.schema)).toEqual(['cart', 'views']);
    expect(schemasOf(reference({ ref: 'TENANT', kind: 'tenant' }), metamodel).map((s) => s.schema)).toEqual(['product']);
  });

  it('shows the seed\'s fields, a never-granted schema as not granted, and a removed schema not at all', () => {
    const consents: ConsentItem[] = [
      { tenant: 'shop', ref: 'r-1', schema: 'cart', consentClass: 'CartEvents', granted: true, grantBlob: 'blob-1', updatedAt: '' },
      { tenant: 'shop', ref: 'r-1', schema: 'gone', consentClass: 'CartEvents', granted: true, grantBlob: 'blob-2', updatedAt: '' },
    ];
    const views = consentViews(reference(), consents, schemasOf(reference(), metamodel));
    expect(views).toEqual([
      { consentClass: 'CartEvents', purpose: 'READ+WRITE', schema: 'cart', grantBlob: 'blob-1', granted: true, schemaTitle: 'cart title', schemaDescription: 'cart description', leadingConsentReference: 'r-1' },
      { consentClass: 'ProductViews', purpose: 'READ+WRITE', schema: 'views', grantBlob: null, granted: false, schemaTitle: 'views title', schemaDescription: 'views description', leadingConsentReference: 'r-1' },
    ]);
  });

  it('a new reference grants the tenant defaults, or exactly the classes and schemas it named', () => {
    expect(initialGrants(reference(), metamodel).map((s) => s.schema)).toEqual(['cart']);
    expect(initialGrants(reference({ requested: { classes: ['ProductViews'] } }), metamodel).map((s) => s.schema)).toEqual(['views']);
    expect(initialGrants(reference({ requested: { schemas: ['cart', 'gone'] } }), metamodel).map((s) => s.schema)).toEqual(['cart']);
    expect(initialGrants(reference({ requested: { schemas: [] } }), metamodel)).toEqual([]);
  });
});
