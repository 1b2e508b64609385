import { type Cause, fansOut, recipients, type RelationView } from '../../../shared/crm/audience.js';

/** The audience rules (decision 0411) as a pure function over a cause, the guest's relations and the shared types. */
const SHARED = ['Person', 'Party'];
const active = (partnerId: string): RelationView => ({ partnerId });
const ended = (partnerId: string, at = '2026-11-01T00:00:00.000Z'): RelationView => ({ partnerId, endedAt: at });
const erased = (partnerId: string, endedAt: string, erasedAt: string): RelationView => ({ partnerId, endedAt, erasedAt });
const data = (entityType: string, creator: string, notice: Cause['notice'] = 'data.changed'): Cause => ({ notice, entityType, creator, itemId: '6f1c2e0a-8a55-4b8e-9d3a-0c6f3d1f2b11', version: 2, purge: false });

describe('who is told about an object', () => {
  const relations = [active('A'), active('B'), ended('C')];

  it('tells only the creating partner about an object of a type the tenant does not share', () => {
    expect(recipients({ cause: data('PartnerData', 'A'), relations, sharedTypes: SHARED })).toEqual(['A']);
    expect(recipients({ cause: data('Order', 'B', 'data.deleted'), relations, sharedTypes: SHARED })).toEqual(['B']);
  });

  it('tells every partner with an active relation about a shared type, whoever created it, but no ended relation', () => {
    expect(recipients({ cause: data('Party', 'A', 'data.created'), relations, sharedTypes: SHARED })).toEqual(['A', 'B']);
    expect(recipients({ cause: data('Party', 'C'), relations, sharedTypes: SHARED })).toEqual(['A', 'B']);
  });

  it("tells nobody when the creator's relation ended, and nobody without a relation", () => {
    expect(recipients({ cause: data('PartnerData', 'C'), relations, sharedTypes: SHARED })).toEqual([]);
    expect(recipients({ cause: data('PartnerData', 'Z'), relations, sharedTypes: SHARED })).toEqual([]);
  });

  it('follows the settings of the moment: a type the tenant shares now reaches every related partner', () => {
    expect(recipients({ cause: data('PartnerData', 'A'), relations, sharedTypes: [...SHARED, 'PartnerData'] })).toEqual(['A', 'B']);
  });

  it('announces an import to the importing partner only, unless the type is shared', () => {
    expect(recipients({ cause: data('PartnerData', 'B', 'data.imported'), relations, sharedTypes: SHARED })).toEqual(['B']);
  });
});

describe('who must forget', () => {
  it('a revoke reaches every related partner for a shared type, only the creators of objects of another type', () => {
    const relations = [active('A'), active('B'), active('D'), ended('C')];
    const revoke = (entityType: string): Cause => ({ notice: 'consent.revoked', entityType, purge: true });
    expect(recipients({ cause: revoke('Person'), relations, sharedTypes: SHARED })).toEqual(['A', 'B', 'D']);
    expect(recipients({ cause: revoke('Order'), relations, sharedTypes: SHARED, creatorsOfType: new Set(['B', 'C']) })).toEqual(['B']);
    expect(recipients({ cause: revoke('Order'), relations, sharedTypes: SHARED, creatorsOfType: new Set() })).toEqual([]);
  });

  it('a relation end reaches that partner only, and not once a new sign-in renewed the relation', () => {
    const cause: Cause = { notice: 'relation.ended', creator: 'C', purge: true };
    expect(recipients({ cause, relations: [active('A'), ended('C')], sharedTypes: SHARED })).toEqual(['C']);
    expect(recipients({ cause, relations: [active('C')], sharedTypes: SHARED })).toEqual([]);
  });

  it('a relation end handled after the erasure reaches that partner through its tombstone, unless the erasure itself ended it', () => {
    const at = '2026-11-27T02:00:00.000Z';
    const cause: Cause = { notice: 'relation.ended', creator: 'C', purge: true };
    expect(recipients({ cause, relations: [erased('C', '2026-10-01T00:00:00.000Z', at)], sharedTypes: SHARED })).toEqual(['C']);
    expect(recipients({ cause, relations: [erased('C', at, at)], sharedTypes: SHARED })).toEqual([]);
  });

  it('an erasure reaches every tombstone, those whose relation had ended before too (their purge is the relation end\'s, decision 0420)', () => {
    const at = '2026-11-27T02:00:00.000Z';
    const relations = [erased('A', at, at), erased('B', at, at), erased('C', '2026-10-01T00:00:00.000Z', at)];
    expect(recipients({ cause: { notice: 'profile.erased', purge: true }, relations, sharedTypes: SHARED })).toEqual(['A', 'B', 'C']);
  });

  it('an erasure after a deleted consent reference (relations stay) reaches every active relation', () => {
    const relations = [active('A'), ended('C'), active('B')];
    expect(recipients({ cause: { notice: 'profile.erased', purge: true }, relations, sharedTypes: SHARED })).toEqual(['A', 'B']);
  });

  it('names each partner once even if a page repeats a relation', () => {
    expect(recipients({ cause: data('Party', 'A'), relations: [active('A'), active('A')], sharedTypes: SHARED })).toEqual(['A']);
  });
});

describe('whether a cause reads all relations (paged) or only the one it names', () => {
  it('fans out for shared types, revokes and erasures; not for own-app types or a relation end', () => {
    expect(fansOut(data('Party', 'A'), SHARED)).toBe(true);
    expect(fansOut(data('PartnerData', 'A'), SHARED)).toBe(false);
    expect(fansOut({ notice: 'consent.revoked', entityType: 'Order', purge: true }, SHARED)).toBe(true);
    expect(fansOut({ notice: 'profile.erased', purge: true }, SHARED)).toBe(true);
    expect(fansOut({ notice: 'relation.ended', creator: 'A', purge: true }, SHARED)).toBe(false);
  });
});
