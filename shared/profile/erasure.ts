import type { GuestCaller } from './caller.js';
import { destroyUserReference, userReference } from './consent-port.js';
import { forgetReference } from './context.js';
import { profileErrors } from './errors.js';
import { profileEvent } from './events.js';
import { loadProfile } from './guest-view.js';
import { relationKey, SHARE_POINTER_SK_PREFIX, shareImportKey, shareKey } from './keys.js';
import type { RelationItem } from './model.js';
import { withdrawal } from './shares.js';
import { ConditionFailed, mainTable, readRows, type TransactItem, transact } from './store.js';

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
  if (ref) await destroyUserReference(tenant, guest, ref);
  forgetReference(tenant, guest);

  const writes: TransactItem[] = [];
  for (const pointer of profile.pointers) {
    const key = shareKey(tenant, pointer.sharingIdentifier);
    const share = (await readRows([key])).main(key);
    writes.push(...withdrawal(tenant, guest, pointer, 'erasure', String(share?.partnerId ?? '')));
  }
  const pointerKeys = new Set(profile.pointers.map((p) => `${p.clientId}#${p.name}`));
  for (const row of profile.rows) {
    const sk = String(row.SK);
    if (sk.startsWith(SHARE_POINTER_SK_PREFIX) && pointerKeys.has(sk.slice(SHARE_POINTER_SK_PREFIX.length))) continue; // deleted by the withdrawal
    writes.push({ Delete: { TableName: mainTable(), Key: { PK: String(row.PK), SK: sk } } });
  }
  for (const imported of profile.imported) {
    writes.push({ Delete: { TableName: mainTable(), Key: shareImportKey(tenant, imported.sharingIdentifier, guest) } });
  }
  const result = { itemsDeleted: profile.items.length, sharesWithdrawn: profile.pointers.length };
  const last = profileEvent('ProfileErased', tenant, { guest, consentReference: ref, ...result });
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
