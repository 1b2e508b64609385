import type { GuestCaller } from './caller.js';
import { deleteUserReference, userReference } from './consent-port.js';
import { forgetReference } from './context.js';
import { profileErrors } from './errors.js';
import { profileEvent } from './events.js';
import { loadProfile } from './guest-view.js';
import { itemScope } from './items.js';
import { ENTITY, erasedRelationKey, ITEM_SK_PREFIX, PARTNER_DATA, relationKey, SHARE_POINTER_SK_PREFIX, shareImportKey, shareKey } from './keys.js';
import type { DataItem, RelationItem } from './model.js';
import { USAGE_SK, usageDelete } from './quota.js';
import { withdrawal } from './share-writes.js';
import { ConditionFailed, isConditionFailed, retry, transact } from '../platform/table/index.js';
import { Item, mainTable, readRows, type TransactItem } from './store.js';

/**
 * `DELETE /me`: erasure. First the keys (consent deletes the guest's reference with every consent and
 * key: crypto-shredding, so nothing stored can be decrypted from then on, even if a later step fails),
 * then the shares are withdrawn, and every item of the guest's partition and every import record of the
 * guest is deleted; `ProfileErased` commits with the last batch. A second call finds nothing: 404.
 */
const BATCH = 90;

export async function eraseProfile(caller: GuestCaller): Promise<ErasureResult> {
  const { tenant, guest } = caller;
  const ref = await userReference(tenant, guest);
  const profile = await loadProfile(caller);
  if (!ref && profile.rows.length === 0) throw profileErrors.profileNotFound();
  if (ref) await deleteUserReference(tenant, guest);
  forgetReference(tenant, guest);
  const announce = { consentReference: ref, cause: 'guest' } as const;
  return eraseUntilDone(await planErasure(tenant, guest, profile, () => true, announce), () => planGuestErasure(tenant, guest, announce));
}

/**
 * Consumer rule of `ConsentReferenceDeleted`: a reference deleted through the consent API took its keys
 * with it, so the guest's items sealed under it (and their shares, and the import pointers of deleted
 * copies) are erased too. Only what was sealed under those references: data the guest wrote since under a
 * new reference stays, even when it was written between this consumer's read and its write (every delete
 * is conditional on the item being unchanged; a lost race re-reads and decides again). Idempotent: a
 * redelivery (or the consumer running after `DELETE /me`) finds nothing and writes nothing.
 */
export async function eraseReferenceData(tenant: string, guest: string, refs: readonly string[]): Promise<ErasureResult> {
  forgetReference(tenant, guest);
  return eraseUntilDone(await planReferenceErasure(tenant, guest, refs), () => planReferenceErasure(tenant, guest, refs));
}

export interface ErasureResult {
  readonly itemsDeleted: number;
  readonly sharesWithdrawn: number;
}

/** What an erasure read and decides to write: the writes in order, each counted as an item, a share or neither. */
export interface ErasurePlan {
  readonly writes: readonly { readonly write: TransactItem; readonly counts?: 'item' | 'share' }[];
  /** `ProfileErased`, with the last transaction; a consumer with nothing (left) to erase announces nothing. */
  readonly announce: { readonly tenant: string; readonly guest: string; readonly consentReference?: string; readonly cause: 'guest' | 'consentReferenceDeleted' };
}

/** The read half of the `ConsentReferenceDeleted` consumer: what is sealed under `refs` now. */
export async function planReferenceErasure(tenant: string, guest: string, refs: readonly string[]): Promise<ErasurePlan> {
  const profile = await loadProfile({ tenant, guest });
  const sealedUnder = new Set(refs);
  return planErasure(tenant, guest, profile, (item) => sealedUnder.has(item.sealedWith.consentReference), {
    consentReference: refs[0], cause: 'consentReferenceDeleted',
  });
}

async function planGuestErasure(tenant: string, guest: string, announce: { consentReference?: string; cause: 'guest' }) {
  return planErasure(tenant, guest, await loadProfile({ tenant, guest }), () => true, announce);
}

/**
 * The write half: the planned writes in transactions of ≤ 90 items, `ProfileErased` with the last one.
 * Throws `ConditionFailed` when something the plan read has changed since (nothing of that transaction is
 * written); the transactions before it stay written, and are counted in `committed`.
 */
export async function applyErasure(plan: ErasurePlan, committed: { itemsDeleted: number; sharesWithdrawn: number } = { itemsDeleted: 0, sharesWithdrawn: 0 }): Promise<ErasureResult> {
  const plus = (writes: ErasurePlan['writes']) => ({
    itemsDeleted: committed.itemsDeleted + writes.filter((w) => w.counts === 'item').length,
    sharesWithdrawn: committed.sharesWithdrawn + writes.filter((w) => w.counts === 'share').length,
  });
  const { tenant, guest, consentReference, cause } = plan.announce;
  const writes = plan.writes;
  const nothingErased = writes.length === 0 && committed.itemsDeleted === 0 && committed.sharesWithdrawn === 0;
  if (nothingErased && cause !== 'guest') return { ...committed }; // nothing (left) to erase: no event
  const result = plus(writes);
  for (let i = 0; i < writes.length || i === 0; i += BATCH) {
    const chunk = writes.slice(i, i + BATCH);
    const event = i + BATCH >= writes.length ? [profileEvent('ProfileErased', tenant, { guest, consentReference, ...result, cause })] : [];
    await transact([...chunk.map((w) => w.write), ...event]);
    Object.assign(committed, plus(chunk));
  }
  return result;
}

/** Applies a plan; when it lost a race, reads again and applies what is left (a few times, then 409). */
async function eraseUntilDone(first: ErasurePlan, replan: () => Promise<ErasurePlan>): Promise<ErasureResult> {
  const committed = { itemsDeleted: 0, sharesWithdrawn: 0 };
  let plan = first;
  return retry(
    async (attempt) => {
      if (attempt > 0) plan = await replan();
      return applyErasure(plan, committed);
    },
    { policy: { tries: 5, baseMs: 10, capMs: 100 }, retryable: isConditionFailed, exhausted: () => profileErrors.concurrentChange() },
  );
}

type Profile = Awaited<ReturnType<typeof loadProfile>>;

/**
 * Deletes an item only as it was read: the same item (`id`, a re-created one has a new id) at the same
 * `version`. Anything written in between (e.g. under a new consent reference) fails the transaction, and
 * the erasure decides again on a fresh read.
 */
const unchangedItemDelete = (key: { PK: string; SK: string }, item: DataItem): TransactItem => ({
  Delete: {
    TableName: mainTable(),
    Key: key,
    ConditionExpression: '#id = :id AND version = :version',
    ExpressionAttributeNames: { '#id': 'id' },
    ExpressionAttributeValues: { ':id': item.id, ':version': item.version },
  },
});

/** How long an erased guest's relation tombstone stays (the partners' pull answers 410 `ProfileErased` meanwhile). */
export const ERASED_RELATION_DAYS = 90;

/**
 * An erased guest's relation leaves a tombstone outside the guest's partition (decision 0413): ids and times only
 * (the apps go), so the CRM audience tells the partner and its pull answers 410 `ProfileErased`. TTL removes it.
 */
function relationTombstone(relation: RelationItem): TransactItem {
  const now = new Date();
  return {
    Put: {
      TableName: mainTable(),
      Item: {
        ...erasedRelationKey(relation.tenant, relation.guest, relation.partnerId), entityType: ENTITY.erasedRelation,
        tenant: relation.tenant, guest: relation.guest, partnerId: relation.partnerId, since: relation.since,
        endedAt: relation.endedAt ?? now.toISOString(), erasedAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + ERASED_RELATION_DAYS * 24 * 3600,
      },
    },
  };
}

/** The withdrawal of each share (the share's partner is read for the event). */
async function planErasureShares(tenant: string, guest: string, pointers: Profile['pointers']) {
  const writes: ErasurePlan['writes'][number][] = [];
  for (const pointer of pointers) {
    const key = shareKey(tenant, pointer.sharingIdentifier);
    const share = (await readRows([key])).main(key);
    const [first, ...rest] = withdrawal(tenant, guest, pointer, 'erasure', String(share?.partnerId ?? ''));
    writes.push({ write: first!, counts: 'share' }, ...rest.map((write) => ({ write })));
  }
  return writes;
}

/** Deletes the chosen items (all rows of the partition when every item is chosen), withdraws their shares, announces it. */
async function planErasure(
  tenant: string,
  guest: string,
  profile: Profile,
  chosen: (item: DataItem) => boolean,
  announce: { consentReference?: string; cause: 'guest' | 'consentReferenceDeleted' },
): Promise<ErasurePlan> {
  const items = profile.items.filter(chosen);
  const everything = items.length === profile.items.length && announce.cause === 'guest';
  // Share pointers and import pointers name partner data by its app (its scope) and name.
  const nameOf = (item: DataItem) => `${itemScope(item)}#${item.name}`;
  const partnerData = profile.items.filter((item) => item.governance.entityType === PARTNER_DATA);
  const names = new Set(partnerData.filter(chosen).map(nameOf));
  const existing = new Set(partnerData.map(nameOf));
  // The shares of the erased objects, and any share whose object is gone already (deleted before deletes
  // withdrew their shares): it must not stay active for an object re-created under its name.
  // Pointers written before decision 0302 have no scope: theirs was the app alone.
  const pointerName = (p: Profile['pointers'][number]) => `${p.scope ?? p.clientId}#${p.name}`;
  const pointers = profile.pointers.filter((p) => names.has(pointerName(p)) || !existing.has(pointerName(p)));
  const imported = profile.imported.filter((i) => names.has(`${i.scope ?? i.clientId}#${i.copyName}`));
  const writes = await planErasureShares(tenant, guest, pointers);
  const withdrawn = new Set(pointers.map((p) => `${SHARE_POINTER_SK_PREFIX}${pointerName(p)}`));
  const rows = everything ? profile.rows : [...items, ...imported];
  // The usage counter (quota) goes first: it is derived, and the next write recounts what is left.
  if ((everything || items.length > 0) && profile.rows.some((row) => row.SK === USAGE_SK)) writes.unshift({ write: usageDelete(tenant, guest) });
  for (const row of rows) {
    const sk = String(row.SK);
    if (withdrawn.has(sk) || sk === USAGE_SK) continue;
    const key = { PK: String(row.PK), SK: sk };
    if (sk.startsWith(ITEM_SK_PREFIX)) writes.push({ write: unchangedItemDelete(key, Item.parse(row)), counts: 'item' });
    else writes.push({ write: { Delete: { TableName: mainTable(), Key: key } } });
  }
  for (const copy of imported) {
    writes.push({ write: { Delete: { TableName: mainTable(), Key: shareImportKey(tenant, copy.sharingIdentifier, guest) } } });
  }
  if (everything) for (const relation of profile.relations) writes.push({ write: relationTombstone(relation) });
  return { writes, announce: { tenant, guest, ...announce } };
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
