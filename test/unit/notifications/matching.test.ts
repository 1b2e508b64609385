import { describe, expect, it } from '@jest/globals';
import { deliveryBody, type PartnerNoticeDetail, wants } from '../../../shared/notifications/deliveries.js';
import type { StoredSubscription } from '../../../shared/notifications/store.js';

const subscription = (fields: Partial<StoredSubscription> = {}): StoredSubscription => ({
  tenant: 'shop',
  partnerId: 'P1',
  subscriptionId: 's-1',
  url: 'https://crm.example/hook',
  entityTypes: ['PartnerData'],
  paused: false,
  version: 1,
  createdAt: '',
  updatedAt: '',
  ...fields,
});
const notice = (fields: Partial<PartnerNoticeDetail> = {}): PartnerNoticeDetail => ({
  tenant: 'shop',
  eventId: '0b7e6c1a-3f0e-4c1b-9d7e-5a2f1c3b4d5e',
  occurredAt: '2026-11-27T00:00:00.000Z',
  partnerId: 'P1',
  notice: 'data.created',
  guest: 'g-1',
  entityType: 'PartnerData',
  causeEventId: '1b7e6c1a-3f0e-4c1b-9d7e-5a2f1c3b4d5e',
  ...fields,
});

describe('which subscriptions want a notice', () => {
  it('wants notices of its entity types and none of others', () => {
    expect(wants(subscription(), notice())).toBe(true);
    expect(wants(subscription(), notice({ entityType: 'Order' }))).toBe(false);
    expect(wants(subscription({ entityTypes: ['Order', 'PartnerData'] }), notice({ entityType: 'Order' }))).toBe(true);
  });

  it('wants nothing while paused', () => {
    expect(wants(subscription({ paused: true }), notice())).toBe(false);
    expect(wants(subscription({ paused: true }), notice({ notice: 'purge.required' }))).toBe(false);
  });

  it('gets guest-wide and forgetting notices whatever its types, so a purge never misses the partner', () => {
    for (const kind of ['relation.ended', 'profile.erased', 'consent.revoked', 'purge.required'] as const) {
      expect(wants(subscription({ entityTypes: ['Order'] }), notice({ notice: kind, entityType: 'PartnerData' }))).toBe(true);
    }
  });

  it('applies its notice filter to every notice, guest-wide ones included', () => {
    const purgesOnly = subscription({ notices: ['purge.required'] });
    expect(wants(purgesOnly, notice())).toBe(false);
    expect(wants(purgesOnly, notice({ notice: 'consent.revoked' }))).toBe(false);
    expect(wants(purgesOnly, notice({ notice: 'purge.required', purgeId: '2b7e6c1a-3f0e-4c1b-9d7e-5a2f1c3b4d5e' }))).toBe(true);
  });
});

describe('what a receiver gets', () => {
  it('is the thin notice with its delivery and subscription ids, nothing else', () => {
    const body = JSON.parse(deliveryBody({ ...notice(), outbox: { source: 'x' } } as PartnerNoticeDetail, 's-1', 'd-1'));
    expect(Object.keys(body).sort()).toEqual(['causeEventId', 'deliveryId', 'entityType', 'eventId', 'guest', 'notice', 'occurredAt', 'partnerId', 'subscriptionId', 'tenant']);
    expect(body).toMatchObject({ deliveryId: 'd-1', subscriptionId: 's-1', notice: 'data.created' });
  });
});
