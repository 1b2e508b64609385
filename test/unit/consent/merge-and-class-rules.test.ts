import { describe, expect, it } from '@jest/globals';
import type { ConsentClass } from '../../../shared/admin/consent-classes.js';
import { parseConsentClassSort } from '../../../shared/admin/consent-classes.js';
import type { Caller } from '../../../shared/consent/access.js';
import { type ConsentRows, lostAliasGrant } from '../../../shared/consent/consent-rows.js';
import { requireClassFlags } from '../../../shared/consent/grants.js';
import { GENESIS_HASH, type ReferenceItem, type SchemaItem } from '../../../shared/consent/model.js';
import { CONSENT_MANAGE } from '../../../shared/platform/scopes.js';

/** Decision 0204 (alias data after a merge) and 0205 (class flags, sort expressions) as pure rules. */
const reference = (ref: string, fields: Partial<ReferenceItem> = {}): ReferenceItem => ({
  tenant: 'shop', ref, kind: 'user', status: 'active', blocked: false, createdAt: '', updatedAt: '', historySeq: 1, historyHash: GENESIS_HASH, ...fields,
});
const rows = (ref: string, fields: Partial<ConsentRows> & { blob?: string | null; shreddedBy?: string } = {}): ConsentRows => ({
  reference: reference(ref),
  consent: { tenant: 'shop', ref, schema: 'cart', consentClass: 'C', granted: fields.blob !== null, grantBlob: fields.blob === undefined ? `b-${ref}` : fields.blob, updatedAt: '', ...(fields.shreddedBy ? { shreddedBy: fields.shreddedBy } : {}) } as ConsentRows['consent'],
  dataKey: { wrapped: 'dk' },
  schemaKey: fields.blob === null ? undefined : { wrapped: 'sk', grantBlob: fields.blob ?? `b-${ref}` },
  ...fields,
});
const leader = (fields: Partial<ConsentRows> & { blob?: string | null } = {}) => rows('Y', { reference: reference('Y', { aliases: ['X'] }), ...fields });
const alias = (fields: Partial<ConsentRows> & { blob?: string | null; shreddedBy?: string } = {}) => rows('X', { reference: reference('X', { leader: 'Y' }), ...fields });

describe('data an alias sealed before the merge (lostAliasGrant)', () => {
  it('opens while the leader grants the schema and the alias still holds the key of that grant', () => {
    expect(lostAliasGrant(leader(), alias(), 'b-X')).toBeUndefined();
  });
  it('is revoked once the merged profile revoked (the alias key went with it), or while the leader does not grant it', () => {
    expect(lostAliasGrant(leader(), alias({ blob: null }), 'b-X')).toBe('revoked');
    expect(lostAliasGrant(leader({ blob: null }), alias(), 'b-X')).toBe('revoked');
  });
  it('says "merged" when the merge shredded it, never a revoke', () => {
    expect(lostAliasGrant(leader(), alias({ blob: null, shreddedBy: 'merge' }), 'b-X')).toBe('merged');
  });
  it('is "detached" when the sealing reference is not an alias of this leader', () => {
    expect(lostAliasGrant(leader({ reference: reference('Y', { aliases: [] }) }), alias(), 'b-X')).toBe('detached');
    expect(lostAliasGrant(leader(), rows('X'), 'b-X')).toBe('detached');
  });
});

describe('consent class flags (requireClassFlags)', () => {
  const classes = new Map<string, ConsentClass>([
    ['Locked', { class: 'Locked', title: '', description: '', editable: false, enabled: true }],
    ['Off', { class: 'Off', title: '', description: '', editable: true, enabled: false }],
  ]);
  const schema = (consentClass: string) => ({ schema: `s-${consentClass}`, consentClass } as SchemaItem);
  const caller = (kind: 'guest' | 'anonymous' | 'tenant'): Caller => ({ principal: { kind, sub: 'x', tenant: 'shop', scopes: new Set([CONSENT_MANAGE]) } as Caller['principal'] });
  const code = (run: () => void) => { try { run(); return 'ok'; } catch (error) { return (error as { code?: string }).code; } };
  it('editable:false refuses guests and anonymous guests, grant and revoke, not the tenant', () => {
    for (const kind of ['guest', 'anonymous'] as const) {
      for (const granted of [true, false]) expect(code(() => requireClassFlags(classes, { consentClass: 'Locked' }, [schema('Locked')], granted, caller(kind)))).toBe('ConsentClassNotEditable');
    }
    expect(code(() => requireClassFlags(classes, { schema: 's-Locked' }, [schema('Locked')], false, caller('tenant')))).toBe('ok');
  });
  it('enabled:false refuses every grant, never a revoke', () => {
    expect(code(() => requireClassFlags(classes, { consentClass: 'Off' }, [], true, caller('tenant')))).toBe('ConsentClassDisabled');
    expect(code(() => requireClassFlags(classes, { schema: 's-Off' }, [schema('Off')], true, caller('guest')))).toBe('ConsentClassDisabled');
    expect(code(() => requireClassFlags(classes, { schema: 's-Off' }, [schema('Off')], false, caller('guest')))).toBe('ok');
  });
});

describe('sort expressions of the dictionary', () => {
  it('a bare field is ascending', () => {
    expect(parseConsentClassSort('class')).toEqual({ field: 'class', descending: false });
    expect(parseConsentClassSort('title:desc')).toEqual({ field: 'title', descending: true });
  });
});
