/**
 * Everything the profile context needs from the partner context, in one place (docs/profile.md, "What
 * profile needs from partner"): whether the partner of a guest token is registered, i.e. exists in the
 * tenant and is not `gesperrt` (its own lock or any ancestor's). Partner's rules decide: `isGesperrt` and
 * `correctedPath` over the partner rows, keyed by `partnerKey` (read-only imports; partner owns the rows).
 *
 * Cost: the partner row and its ancestors' rows are read in the operation's one BatchGetItem. Which
 * ancestors to read along is known only from the partner's own row, so the ancestor path is remembered per
 * warm container and only used to choose keys; the decision always uses the partner row read now and the
 * ancestors' own rows (a move is noticed at once). A cold container (or a path that changed) costs one more
 * BatchGetItem of the missing ancestors; a path being rewritten after a move, one more per round.
 */
import { partnerKey } from '../partner/keys.js';
import { type AncestorRow, correctedPath, isGesperrt } from '../partner/visibility.js';
import { profileErrors } from './errors.js';
import type { ItemKey } from './keys.js';
import { readRows, type Row, type Rows } from './store.js';

const knownPaths = new Map<string, readonly string[]>();
const MAX_REMEMBERED = 10_000;
/** Rounds of path corrections while a moved subtree is being rewritten (as the partner context allows). */
const MAX_ROUNDS = 4;

const cacheKey = (tenant: string, partnerId: string) => `${tenant}\u0000${partnerId}`;

function remember(tenant: string, partnerId: string, path: readonly string[]): void {
  const key = cacheKey(tenant, partnerId);
  knownPaths.delete(key);
  knownPaths.set(key, path);
  if (knownPaths.size > MAX_REMEMBERED) knownPaths.delete(knownPaths.keys().next().value as string);
}

/** The rows to read along with the operation: the partner and the ancestors it had last time. */
export function partnerRowKeys(tenant: string, partnerId: string): ItemKey[] {
  const path = knownPaths.get(cacheKey(tenant, partnerId)) ?? [];
  return [partnerKey(tenant, partnerId), ...path.map((id) => partnerKey(tenant, id))];
}

const pathOf = (row: Row): string[] => (Array.isArray(row.path) ? (row.path as string[]) : []);

const ancestorRowOf = (row: Row): AncestorRow => ({
  partnerId: String(row.partnerId),
  parentId: typeof row.parentId === 'string' ? row.parentId : undefined,
  path: pathOf(row),
  locked: row.locked === true,
});

/**
 * 403 `PartnerNotRegistered` unless the partner exists in the tenant and neither it nor any ancestor is
 * locked. `rows` is the operation's BatchGet, which held `partnerRowKeys(tenant, partnerId)`.
 */
export async function requireRegisteredPartner(tenant: string, partnerId: string, rows: Rows): Promise<void> {
  const own = rows.main(partnerKey(tenant, partnerId));
  if (!own) throw profileErrors.partnerNotRegistered(partnerId);
  const ancestors = new Map<string, AncestorRow>();
  const asked = new Set<string>();
  const take = (read: Rows, ids: readonly string[]) => {
    for (const id of ids) {
      asked.add(id);
      const row = read.main(partnerKey(tenant, id));
      if (row) ancestors.set(id, ancestorRowOf(row));
    }
  };
  take(rows, knownPaths.get(cacheKey(tenant, partnerId)) ?? []);
  let path: readonly string[] = pathOf(own);
  for (let round = 0; ; round++) {
    const missing = path.filter((id) => !asked.has(id));
    if (missing.length > 0) take(await readRows(missing.map((id) => partnerKey(tenant, id))), missing);
    const fixed = correctedPath(path, ancestors);
    if (!fixed) break;
    // Still moving after several rounds: refuse rather than decide on a path we could not verify.
    if (round + 1 >= MAX_ROUNDS) throw profileErrors.concurrentChange();
    path = fixed;
  }
  remember(tenant, partnerId, path);
  if (isGesperrt(own.locked === true, path, ancestors)) throw profileErrors.partnerNotRegistered(partnerId);
}
