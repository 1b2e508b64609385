import type { GuestCaller } from '../../../shared/profile/caller.js';
import type { Governance, RelationItem } from '../../../shared/profile/model.js';
import { copyNameFor, initialsOf, mayAccess, recordsRelation, relationState, roleOf } from '../../../shared/profile/policy.js';

const guest: GuestCaller = { tenant: 't', guest: 'g-1', partnerId: 'ABC12', clientId: 'app-1' };
const partnerData: Governance = { entityType: 'PartnerData', profile: 'g-1', partnerId: 'ABC12', clientId: 'app-1', role: 'creator-app' };
const person: Governance = { entityType: 'Person', profile: 'g-1', role: 'related-partner' };

describe('who may read a data item', () => {
  it('shares Person and Party with related partners; PartnerData, Order and Ticket stay with the creating app', () => {
    expect(roleOf('Person')).toBe('related-partner');
    expect(roleOf('Party')).toBe('related-partner');
    for (const type of ['PartnerData', 'Order', 'Ticket']) expect(roleOf(type)).toBe('creator-app');
    expect(roleOf('Order', ['Order'])).toBe('related-partner');
  });

  it('lets the creating app of the same partner read its partner data, and no other app or partner', () => {
    expect(mayAccess(partnerData, guest, 'active')).toEqual({ allowed: true });
    expect(mayAccess(partnerData, { ...guest, clientId: 'app-2' }, 'active')).toEqual({ allowed: false, reason: 'not-creator' });
    expect(mayAccess(partnerData, { ...guest, partnerId: 'XYZ99' }, 'active')).toEqual({ allowed: false, reason: 'not-creator' });
  });

  it('lets any related partner read shared types, until the guest ends the relation', () => {
    expect(mayAccess(person, { ...guest, partnerId: 'XYZ99', clientId: 'other' }, 'active')).toEqual({ allowed: true });
    expect(mayAccess(person, guest, 'ended')).toEqual({ allowed: false, reason: 'relation-ended' });
    expect(mayAccess(person, guest, 'none')).toEqual({ allowed: false, reason: 'no-relation' });
  });

  it('never lets one guest reach another guest’s item', () => {
    expect(mayAccess(partnerData, { ...guest, guest: 'g-2' }, 'active')).toEqual({ allowed: false, reason: 'not-owner' });
  });

  it('shows the guest everything they own on the platform’s own pages (no partner in the token)', () => {
    expect(mayAccess(partnerData, { tenant: 't', guest: 'g-1' }, 'none')).toEqual({ allowed: true });
  });
});

describe('relations', () => {
  const ended: RelationItem = { tenant: 't', guest: 'g-1', partnerId: 'ABC12', since: '2024-01-01T00:00:00Z', endedAt: '2024-06-01T00:00:00Z' };
  const endedAt = Date.parse(ended.endedAt!) / 1000;

  it('records a relation on the first call and keeps an active one as it is', () => {
    expect(recordsRelation(undefined)).toBe(true);
    expect(recordsRelation({ ...ended, endedAt: undefined })).toBe(false);
    expect(relationState(undefined)).toBe('none');
  });

  it('keeps an ended relation ended for tokens issued before the end, and renews it on a new sign-in', () => {
    expect(relationState(ended, endedAt - 60)).toBe('ended');
    expect(recordsRelation(ended, endedAt - 60)).toBe(false);
    expect(relationState(ended, undefined)).toBe('ended');
    expect(relationState(ended, endedAt + 1)).toBe('active');
    expect(recordsRelation(ended, endedAt + 1)).toBe(true);
  });
});

describe('names of imported copies', () => {
  it('uses the lower-case initials of the sharing guest, ASCII only', () => {
    expect(initialsOf('Gina', 'Ahrens')).toBe('ga');
    expect(initialsOf('Émile', 'Österberg')).toBe('eo');
    expect(initialsOf(undefined, 'Ahrens')).toBe('xa');
  });

  it('numbers copies of sharers with the same initials instead of overwriting', () => {
    expect(copyNameFor('meineFavoriten', 'ga', new Set())).toBe('meineFavoriten-ga');
    expect(copyNameFor('meineFavoriten', 'ga', new Set(['meineFavoriten-ga']))).toBe('meineFavoriten-ga2');
    expect(copyNameFor('meineFavoriten', 'ga', new Set(['meineFavoriten-ga', 'meineFavoriten-ga2']))).toBe('meineFavoriten-ga3');
    expect(copyNameFor('x', 'ga', new Set(['x-ga', 'x-ga2']), 2)).toBeUndefined();
  });
});
