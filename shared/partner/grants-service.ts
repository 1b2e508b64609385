import { config } from '../platform/config.js';
import { forbidden, invalid, notFound } from '../platform/errors.js';
import { loadAccess } from './access.js';
import type { CallerRef } from './caller.js';
import { partnerEvent } from './events.js';
import { einstellungsrechtKey, ENTITY, HANDEL_PREFIX, handelsbeziehungKey } from './keys.js';
import { type PageOf, pageOf, type PageRequest } from './paging.js';
import { ConditionFailed, transact } from '../platform/table/index.js';
import { queryGrantPage } from './store.js';

/**
 * The write side of two relations between partners (docs/partner.md, decision 0103):
 *
 * - an explicit Einstellungsrecht of `holder` on `target` (and so on everything below it), which
 *   `administrierbare` lists and every visibility rule honours;
 * - a trading relation (Handelsbeziehung) between two partners, which lets each read the other's
 *   Kontaktdaten. It is one relation between two partners, stored once under each of them.
 *
 * Who may: a caller holding the Einstellungsrecht on both partners — it may pass on only what it holds
 * (as with rights and Übernahmerechte), and it administers the holder it gives the right to. Without it
 * both partners are simply not found (404).
 */
const table = () => config().tableName;

const managedPair = async (caller: CallerRef, a: string, b: string) => {
  const access = await loadAccess({ tenant: caller.tenant, callerId: caller.partnerId, targetIds: [a, b] });
  access.visible(a);
  access.visible(b);
  return access;
};

const alreadyThere = (error: unknown) => error instanceof ConditionFailed && error.failedAt(0);

/** `holder` gets the Einstellungsrecht on `target`. Granting an existing one again writes and emits nothing. */
export async function grantEinstellungsrecht(caller: CallerRef, holder: string, target: string): Promise<'granted' | 'unchanged'> {
  if (holder === target) throw invalid('Every partner holds the Einstellungsrecht on itself; name another target', 'EinstellungsrechtOnSelf');
  await managedPair(caller, holder, target);
  try {
    await transact([
      {
        Put: {
          TableName: table(),
          Item: { ...einstellungsrechtKey(caller.tenant, holder, target), entityType: ENTITY.einstellungsrecht, tenant: caller.tenant, holder, target, grantedBy: caller.partnerId, grantedAt: new Date().toISOString() },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      partnerEvent('EinstellungsrechtGranted', { tenant: caller.tenant, partnerId: holder, target, grantedBy: caller.partnerId }),
    ]);
    return 'granted';
  } catch (error) {
    if (alreadyThere(error)) return 'unchanged';
    throw error;
  }
}

/**
 * Takes an explicit Einstellungsrecht away. Never the one everyone holds on itself (400), and never
 * one of the caller's own (403): as with locks and moves (decision 0102), a partner does not change
 * its own standing — someone who also manages both does. 404 when no such explicit right exists.
 */
export async function revokeEinstellungsrecht(caller: CallerRef, holder: string, target: string): Promise<void> {
  if (holder === target) throw invalid('The Einstellungsrecht of a partner on itself cannot be taken away', 'EinstellungsrechtOnSelf');
  if (holder === caller.partnerId) throw forbidden('A partner cannot take away its own Einstellungsrecht', 'CannotRevokeOwnEinstellungsrecht');
  await managedPair(caller, holder, target);
  try {
    await transact([
      { Delete: { TableName: table(), Key: { ...einstellungsrechtKey(caller.tenant, holder, target) }, ConditionExpression: 'attribute_exists(PK)' } },
      partnerEvent('EinstellungsrechtRevoked', { tenant: caller.tenant, partnerId: holder, target, revokedBy: caller.partnerId }),
    ]);
  } catch (error) {
    if (alreadyThere(error)) throw notFound(`${holder} holds no explicit Einstellungsrecht on ${target}`, 'EinstellungsrechtNotFound');
    throw error;
  }
}

const handelItems = (caller: CallerRef, a: string, b: string, now: string) =>
  [
    [a, b],
    [b, a],
  ].map(([holder, target]) => ({
    ...handelsbeziehungKey(caller.tenant, holder, target),
    entityType: ENTITY.handelsbeziehung,
    tenant: caller.tenant,
    holder,
    target,
    createdBy: caller.partnerId,
    createdAt: now,
  }));

/** `a` and `b` trade with each other (both directions in one transaction). Again: nothing written or emitted. */
export async function addHandelsbeziehung(caller: CallerRef, a: string, b: string): Promise<'added' | 'unchanged'> {
  if (a === b) throw invalid('A partner cannot trade with itself', 'HandelsbeziehungWithSelf');
  await managedPair(caller, a, b);
  const [first, second] = handelItems(caller, a, b, new Date().toISOString());
  try {
    await transact([
      { Put: { TableName: table(), Item: first, ConditionExpression: 'attribute_not_exists(PK)' } },
      { Put: { TableName: table(), Item: second } },
      partnerEvent('HandelsbeziehungAdded', { tenant: caller.tenant, partnerId: a, target: b, changedBy: caller.partnerId }),
    ]);
    return 'added';
  } catch (error) {
    if (alreadyThere(error)) return 'unchanged';
    throw error;
  }
}

/** Ends the trading relation between `a` and `b` (both directions); 404 when there is none. */
export async function removeHandelsbeziehung(caller: CallerRef, a: string, b: string): Promise<void> {
  if (a === b) throw invalid('A partner cannot trade with itself', 'HandelsbeziehungWithSelf');
  await managedPair(caller, a, b);
  try {
    await transact([
      { Delete: { TableName: table(), Key: { ...handelsbeziehungKey(caller.tenant, a, b) }, ConditionExpression: 'attribute_exists(PK)' } },
      { Delete: { TableName: table(), Key: { ...handelsbeziehungKey(caller.tenant, b, a) } } },
      partnerEvent('HandelsbeziehungRemoved', { tenant: caller.tenant, partnerId: a, target: b, changedBy: caller.partnerId }),
    ]);
  } catch (error) {
    if (alreadyThere(error)) throw notFound(`${a} and ${b} have no trading relation`, 'HandelsbeziehungNotFound');
    throw error;
  }
}

/** The partners `partnerId` trades with, paged like `administrierbare`. */
export async function handelsbeziehungen(caller: CallerRef, partnerId: string, page: PageRequest): Promise<PageOf> {
  (await loadAccess({ tenant: caller.tenant, callerId: caller.partnerId, targetIds: [partnerId] })).visible(partnerId);
  const { targets, more } = await queryGrantPage(caller.tenant, partnerId, HANDEL_PREFIX, page);
  return pageOf(targets, more, page);
}

