import type { GuestCaller } from './caller.js';
import { deleteUserReference, userReference } from './consent-port.js';
import { forgetReference } from './context.js';
import { profileErrors } from './errors.js';
import { profileEvent } from './events.js';
import { loadProfile } from './guest-view.js';
import { itemScope } from './items.js';
import { PARTNER_DATA, relationKey, SHARE_POINTER_SK_PREFIX, shareImportKey, shareKey } from './keys.js';
import type { DataItem, RelationItem } from './model.js';
import { withdrawal } from './shares.js';
import { ConditionFailed, mainTable, readRows, type Row, type TransactItem, transact } from './store.js';

/**
 * `DELETE /me`: erasure. First the keys (consent deletes the guest's reference with every consent and
 * key: crypto-shredding, so nothing stored can be decrypted from then on, even if a later step fails),
 * then the shares are withdrawn, and every item of the guest's partition and every import record of the
 * guest is deleted; `ProfileErased` commits with the last batch. A second call finds nothing: 404.
 */
const BATCH = 90;

export async function eraseProfile(caller: GuestCaller): Promise<{ itemsDeleted: number; sharesWithdrawn: number }> {
  const { tenant, guest } = caller;
  const ref = await userReference(tenant, guest);
  const profile = await loadProfile(caller);
  if (!ref && profile.rows.length === 0) throw profileErrors.profileNotFound();
  if (ref) await deleteUserReference(tenant, guest);
  forgetReference(tenant, guest);
  return erase(tenant, guest, profile, () => true, { consentReference: ref, cause: 'guest' });
}

/**
 * Consumer rule of `ConsentReferenceDeleted`: a reference deleted through the consent API took its keys
 * with it, so the guest's items sealed under it (and their shares, and the import pointers of deleted
 * copies) are erased too. Only what was sealed under those references: data the guest wrote since under a
 * new reference stays. Idempotent: a redelivery (or the consumer running after `DELETE /me`) finds nothing
 * and writes nothing.
 */
export async function eraseReferenceData(tenant: string, guest: string, refs: readonly string[]) {
  forgetReference(tenant, guest);
  const profile = await loadProfile({ tenant, guest });
  const sealedUnder = new Set(refs);
  const result = await erase(tenant, guest, profile, (item) => sealedUnder.has(item.sealedWith.consentReference), {
    consentReference: refs[0], cause: 'consentReferenceDeleted',
  });
  return result;
}

type Profile = Awaited<ReturnType<typeof loadProfile>>;

/** Deletes the chosen items (all rows of the partition when every item is chosen), withdraws their shares, announces it. */
async function erase(
  tenant: string,
  guest: string,
  profile: Profile,
  chosen: (item: DataItem) => boolean,
  announce: { consentReference?: string; cause: 'guest' | 'consentReferenceDeleted' },
): Promise<{ itemsDeleted: number; sharesWithdrawn: number }> {
  const items = profile.items.filter(chosen);
  const everything = items.length === profile.items.length && announce.cause === 'guest';
  // Share pointers and import pointers name partner data by its app (its scope) and name.
  const names = new Set(items.filter((item) => item.governance.entityType === PARTNER_DATA).map((item) => `${itemScope(item)}#${item.name}`));
  const pointers = profile.pointers.filter((p) => names.has(`${p.clientId}#${p.name}`));
  const imported = profile.imported.filter((i) => names.has(`${i.clientId}#${i.copyName}`));
  const writes: TransactItem[] = [];
  for (const pointer of pointers) {
    const key = shareKey(tenant, pointer.sharingIdentifier);
    const share = (await readRows([key])).main(key);
    writes.push(...withdrawal(tenant, guest, pointer, 'erasure', String(share?.partnerId ?? '')));
  }
  const withdrawn = new Set(pointers.map((p) => `${SHARE_POINTER_SK_PREFIX}${p.clientId}#${p.name}`));
  const rows = everything ? profile.rows : [...items, ...imported].map((row) => row as unknown as Row);
  for (const row of rows) {
    const sk = String(row.SK);
    if (!withdrawn.has(sk)) writes.push({ Delete: { TableName: mainTable(), Key: { PK: String(row.PK), SK: sk } } });
  }
  for (const copy of imported) {
    writes.push({ Delete: { TableName: mainTable(), Key: shareImportKey(tenant, copy.sharingIdentifier, guest) } });
  }
  const result = { itemsDeleted: items.length, sharesWithdrawn: pointers.length };
  if (writes.length === 0 && announce.cause !== 'guest') return result; // nothing (left) to erase: no event
  const last = profileEvent('ProfileErased', tenant, { guest, consentReference: announce.consentReference, ...result, cause: announce.cause });
  for (let i = 0; i < writes.length || i === 0; i += BATCH) {
    const chunk = writes.slice(i, i + BATCH);
    await transact(i + BATCH >= writes.length ? [...chunk, last] : chunk);
  }
  return result;
}

/** `DELETE /me/relations/{partnerId}`: the guest ends a partner's relation; its shared-type access ends at once. */
export async function endRelation(caller: GuestCaller, partnerId: string): Promise<void> {
  const key = relationKey(caller.tenant, caller.guest, partnerId);
  const relation = (await readRows([key])).main(key) as RelationItem | undefined;
  if (!relation || relation.endedAt) throw profileErrors.relationNotFound(partnerId);
  try {
    await transact([
      {
        Update: {
          TableName: mainTable(),
          Key: key,
          UpdateExpression: 'SET endedAt = :now',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(endedAt)',
          ExpressionAttributeValues: { ':now': new Date().toISOString() },
        },
      },
      profileEvent('RelationEnded', caller.tenant, { guest: caller.guest, partnerId }),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw profileErrors.relationNotFound(partnerId);
    throw error;
  }
}
