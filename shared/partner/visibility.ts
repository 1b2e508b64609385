/**
 * Who may see and manage whom: pure rules over data already read, so the reads can be batched into a
 * constant number of DynamoDB calls whatever the depth of the tree.
 *
 * - Einstellungsrecht (manage): on oneself; on everything below oneself; on a partner on which one
 *   holds an explicit Einstellungsrecht, and (implicitly, as the guide says) everything below that.
 * - Visibility is exactly the Einstellungsrecht: "below it in the hierarchy, or the Einstellungsrecht
 *   is assigned"; anything else is answered as not found.
 * - Kontaktdaten are visible too with a Zugriffsrecht (also implicit below its target) or a trading
 *   relationship.
 */
export type GrantKind = 'EINSTELLUNG' | 'UEBERNAHME' | 'HANDEL';

/** Does `holder` hold a grant of `kind` on exactly `target`? */
export type GrantLookup = (holder: string, kind: GrantKind, target: string) => boolean;

/** What the ancestor rows tell us: their own path, parent and lock flag. */
export interface AncestorRow {
  readonly partnerId: string;
  readonly parentId?: string;
  readonly path: readonly string[];
  readonly locked: boolean;
}

/** At most this many ancestors: keeps one BatchGetItem (100 keys) enough for any visibility check. */
export const MAX_DEPTH = 24;

export function hasEinstellungsrecht(caller: string, target: string, targetPath: readonly string[], grants: GrantLookup): boolean {
  if (caller === target || targetPath.includes(caller)) return true;
  return [...targetPath, target].some((node) => grants(caller, 'EINSTELLUNG', node));
}

/**
 * The caller itself or one of its ancestors. The caller always has the Einstellungsrecht on itself,
 * so operations that would change the caller's own place or state through the tree (moving, locking)
 * must ask this separately: visibility alone never refuses them.
 */
export function isSelfOrAncestor(caller: string, callerPath: readonly string[], target: string): boolean {
  return caller === target || callerPath.includes(target);
}

/** Zugriffsrecht on the Vorgänge of `target`: own ones, those below, and explicit grants (and below them). */
export function hasUebernahmeRecht(holder: string, target: string, targetPath: readonly string[], grants: GrantLookup): boolean {
  if (holder === target || targetPath.includes(holder)) return true;
  return [...targetPath, target].some((node) => grants(holder, 'UEBERNAHME', node));
}

export function canSeeKontaktdaten(caller: string, target: string, targetPath: readonly string[], grants: GrantLookup): boolean {
  return (
    hasEinstellungsrecht(caller, target, targetPath, grants) ||
    hasUebernahmeRecht(caller, target, targetPath, grants) ||
    grants(caller, 'HANDEL', target)
  );
}

/** Locked when the partner itself or any ancestor is: a lock covers the subtree without touching it. */
export function isGesperrt(ownLock: boolean, path: readonly string[], ancestors: ReadonlyMap<string, AncestorRow>): boolean {
  return ownLock || path.some((id) => ancestors.get(id)?.locked === true);
}

/**
 * The stored path of a partner is rewritten after its subtree moved (a chain of bounded pages, decision
 * 0208), so for a while it may be stale, and so may the stored paths of the ancestors between it and the
 * moved partner. What a move changes atomically is the moved partner's row: its `parentId` (and its own
 * path). So the parent links are the truth: the first ancestor whose `parentId` is not the node before
 * it on our path was moved, and the correct path is its stored path followed by the rest of ours. An
 * ancestor whose parent agrees but whose own stored path differs merely lies below a move too: its path
 * tells nothing (trusting it would bring a rewritten path back to its old place). Returns undefined when
 * every parent link checks out. (A corrected path must itself be verified against its new ancestors: the
 * caller loops.)
 */
export function correctedPath(path: readonly string[], ancestors: ReadonlyMap<string, AncestorRow>): string[] | undefined {
  for (let i = 0; i < path.length; i++) {
    const row = ancestors.get(path[i]);
    if (!row) continue; // not read (yet); the loader reads every ancestor it needs
    const parentOk = i === 0 ? row.parentId === undefined : row.parentId === path[i - 1];
    if (!parentOk) return [...row.path, ...path.slice(i)];
  }
  return undefined;
}
