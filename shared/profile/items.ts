import { randomUUID } from 'node:crypto';
import { consentKey, referenceKey } from '../consent/keys.js';
import { type ConsentRows, keyForReading, keyForWriting, requireUsable } from './consent-port.js';
import type { GuestCaller } from './caller.js';
import type { OperationContext } from './context.js';
import { profileErrors } from './errors.js';
import { ENTITY, itemKey, type ItemKey, PARTNER_DATA, SHARED_SCOPE } from './keys.js';
import type { DataItem } from './model.js';
import { mayAccess, roleOf } from './policy.js';
import { relationWrite } from './relations.js';
import { mainTable, type TransactItem } from './store.js';

/**
 * Data items of any entity type: sealing with the (consent reference, schema) key, opening, access
 * checks and the writes that go with them. The payload's AAD binds it to its tenant, owner, entity
 * type, scope and name, so a sealed payload moved to another item never opens.
 *
 * An item's address (entity type, scope, name) fixes both its key and its AAD, for its whole life: the
 * tenant's settings decide who may read and write it (`visibleItem`), never where it lives or how it opens.
 */
export interface ItemAddress {
  readonly entityType: string;
  /** Fixed by the kind of item: `*` for the guest's own `Person`, the creating app's client_id for partner data. */
  readonly scope: string;
  readonly name: string;
}

export const keyOf = (caller: GuestCaller, a: ItemAddress): ItemKey =>
  itemKey(caller.tenant, caller.guest, a.entityType, a.scope, a.name);

/** Besides this, consent's key binds every sealed value to tenant, consent reference, schema and grant blob. */
const aadOf = (profile: string, a: ItemAddress) => ({ profile, entityType: a.entityType, scope: a.scope, name: a.name });
/**
 * The scope an item was created with. Items written before it was recorded were sealed under the scope of
 * their address, which depended only on the kind of item: the creating app for partner data, `*` otherwise.
 */
export const itemScope = (item: DataItem): string =>
  item.scope ?? (item.governance.entityType === PARTNER_DATA ? (item.governance.clientId ?? SHARED_SCOPE) : SHARED_SCOPE);

export const addressOf = (item: DataItem): ItemAddress => ({ entityType: item.governance.entityType, scope: itemScope(item), name: item.name });

/** The item if the caller may see it; otherwise as if it did not exist (404), or 403 for an ended relation. */
export function visibleItem(context: OperationContext, key: ItemKey, notFound: () => Error): DataItem {
  requireUsable(context.consent, context.ref, context.entityType);
  const item = context.row<DataItem>(key);
  if (!item) throw notFound();
  // Who may read is decided by the tenant's settings now, not by the role recorded when it was written.
  const role = roleOf(item.governance.entityType, context.sharedTypes);
  const decision = mayAccess({ ...item.governance, role }, context.caller, context.relationState);
  if (!decision.allowed) {
    if (decision.reason === 'relation-ended') throw profileErrors.relationEnded(context.caller.partnerId!);
    throw notFound();
  }
  return item;
}

/** The decrypted payload, or 410 with the reason when the key it was sealed with is gone. */
export const openItem = (context: OperationContext, item: DataItem): Promise<unknown> => openSealed(context.caller.tenant, context.consent, context.ref, item);

/** The same for a reader that is not the guest (the partner's CRM pull): consent's rows of the item's type and the leading reference. */
export async function openSealed(tenant: string, consent: ConsentRows, ref: string, item: DataItem): Promise<unknown> {
  const { consentReference, grantBlob } = item.sealedWith;
  const type = item.governance.entityType;
  // Sealed under an alias's own key before a merge: consent opens it while the merged profile grants the type.
  const key = await keyForReading(tenant, consent, ref, type, grantBlob, consentReference);
  try {
    return JSON.parse(key.open(item.payload, aadOf(item.governance.profile, addressOf(item))).toString('utf8'));
  } finally {
    key.dispose();
  }
}

export interface NewItem {
  readonly address: ItemAddress;
  readonly data: unknown;
  readonly json: string;
  readonly existing?: DataItem;
  readonly importedFrom?: DataItem['importedFrom'];
}

/** Seals `data` under the current grant (403 when consent is not granted) and builds the stored item. */
export async function sealItem(context: OperationContext, input: NewItem, at: string): Promise<DataItem> {
  const { tenant, guest, partnerId, clientId } = context.caller;
  const key = await keyForWriting(tenant, context.consent, context.ref, input.address.entityType);
  let payload: string;
  try {
    payload = key.seal(input.json, aadOf(guest, input.address));
  } finally {
    key.dispose();
  }
  const grantBlob = key.grantBlob;
  // What a reader needs now (recorded for the record only); the key and the AAD come from the address alone.
  const role = roleOf(input.address.entityType, context.sharedTypes);
  return {
    tenant,
    id: input.existing?.id ?? randomUUID(),
    name: input.address.name,
    governance: {
      entityType: input.address.entityType,
      profile: guest,
      partnerId: role === 'creator-app' ? partnerId : input.existing?.governance.partnerId ?? partnerId,
      clientId: role === 'creator-app' ? clientId : input.existing?.governance.clientId ?? clientId,
      role,
    },
    scope: input.address.scope,
    sealedWith: { consentReference: context.ref, grantBlob },
    payload,
    size: Buffer.byteLength(input.json, 'utf8'),
    version: (input.existing?.version ?? 0) + 1,
    createdAt: input.existing?.createdAt ?? at,
    updatedAt: at,
    importedFrom: input.importedFrom,
  };
}

/**
 * Put of the item at its address, guarded so a concurrent writer in between is noticed: a new item only
 * where nothing is stored, a replacement only of the very item that was read (same `id` — an object deleted
 * and re-created in between has a new one — and the same `version`).
 */
export function itemPut(item: DataItem, previous?: DataItem): TransactItem {
  const key = itemKey(item.tenant, item.governance.profile, item.governance.entityType, itemScope(item), item.name);
  return {
    Put: {
      TableName: mainTable(),
      Item: { ...key, entityType: ENTITY.item, ...item },
      ConditionExpression: previous ? '#id = :id AND version = :v' : 'attribute_not_exists(PK)',
      ExpressionAttributeNames: previous ? { '#id': 'id' } : undefined,
      ExpressionAttributeValues: previous ? { ':id': previous.id, ':v': previous.version } : undefined,
    },
  };
}

export function itemDelete(key: ItemKey, previous: DataItem): TransactItem {
  return {
    Delete: {
      TableName: mainTable(), Key: key, ConditionExpression: '#id = :id AND version = :v',
      ExpressionAttributeNames: { '#id': 'id' }, ExpressionAttributeValues: { ':id': previous.id, ':v': previous.version },
    },
  };
}

/**
 * Condition checks that make a write fail if, between our read and our write, the consent was revoked
 * (its grant blob changed) or the reference was blocked or merged; plus the relation if this call records it.
 */
export function writeGuards(context: OperationContext, grantBlob?: string): TransactItem[] {
  const { tenant } = context.caller;
  const guards: TransactItem[] = [
    {
      ConditionCheck: {
        TableName: mainTable(),
        Key: referenceKey(tenant, context.ref),
        ConditionExpression: 'blocked = :false AND attribute_not_exists(#leader)',
        ExpressionAttributeNames: { '#leader': 'leader' },
        ExpressionAttributeValues: { ':false': false },
      },
    },
  ];
  if (grantBlob) {
    guards.push({
      ConditionCheck: {
        TableName: mainTable(),
        Key: consentKey(tenant, context.ref, context.entityType),
        ConditionExpression: 'granted = :true AND grantBlob = :blob',
        ExpressionAttributeValues: { ':true': true, ':blob': grantBlob },
      },
    });
  }
  const relation = relationWrite(context);
  if (relation) guards.push(relation);
  return guards;
}
