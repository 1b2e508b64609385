import * as z from 'zod/mini';
import { handOn } from '../platform/continuation.js';
import { getRow, partition, queryPage, updateIfStill } from '../platform/table/index.js';
import { GSI1 } from '../platform/table-design.js';
import { partnerEvents } from './events.js';
import { childrenIndexKeys, childrenPartition, partnerKey } from './keys.js';
import type { PartnerRecord } from './model.js';
import { getPartners, partnerRecord } from './store.js';
import { type AncestorRow, correctedPath, MAX_DEPTH } from './visibility.js';
import { rewritePath } from './write-items.js';

/**
 * The rewrite of the stored ancestor paths below a moved partner (decision 0208), one bounded page per
 * invocation: a depth-first walk of the subtree over the children index, parents before their
 * children, each descendant's path set to its parent's new path and the parent, only if still as read
 * (a later move of it rewrites it otherwise). The walk's position is a stack of at most `MAX_DEPTH`
 * frames (a parent, the last child taken, the children taken but not yet descended into), so the
 * cursor stays small whatever the subtree size.
 *
 * Until a descendant is rewritten, readers correct its stale path from its ancestors' rows (decision
 * 0101: the moved partner's own row changed with the move), so the chain only has to converge. It is
 * resumable (the next page starts from the cursor the event carries), idempotent (rows already at
 * their new path are not written again; the hand-over has a derived id), and superseded by a newer
 * move of the same partner (its `moveId` changed: that move's chain walks the whole subtree again).
 */
export const PATH_PAGE_SIZE = 500;
const CHILDREN_PER_QUERY = 100;
const PARALLEL_WRITES = 16;

const Frame = z.object({ p: z.string(), a: z.optional(z.string()), q: z.array(z.string()), d: z.optional(z.boolean()) });
type Frame = z.infer<typeof Frame>;
const encodeCursor = (stack: readonly Frame[]) => Buffer.from(JSON.stringify(stack)).toString('base64url');
const decodeCursor = (cursor: string): Frame[] => z.parse(z.array(Frame).check(z.maxLength(MAX_DEPTH + 1)), JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));

export interface RewriteOutcome {
  /** Descendants read by this page (with `queries`, bounded by the page size). */
  readonly read: number;
  /** Of those, rewritten now (the others already had their new path, or were moved again). */
  readonly rewritten: number;
  /** Queries of the children index this page made. */
  readonly queries: number;
  readonly cursor?: string;
  readonly continuation?: string;
  readonly superseded?: boolean;
}

/** The moved partner's path as its ancestors confirm it (it may itself lie below a move still being rewritten). */
async function verifiedPath(tenant: string, record: PartnerRecord): Promise<readonly string[]> {
  let path: readonly string[] = record.path;
  const ancestors = new Map<string, AncestorRow>();
  for (let round = 0; round <= MAX_DEPTH; round++) {
    const missing = path.filter((id) => !ancestors.has(id));
    for (const row of (await getPartners(tenant, missing)).values()) {
      ancestors.set(row.partnerId, { partnerId: row.partnerId, parentId: row.parentId, path: row.path, locked: row.locked });
    }
    const fixed = correctedPath(path, ancestors);
    if (!fixed) return path;
    path = fixed;
  }
  return path;
}

/** One page of the rewrite below `partnerId` for the move `moveId`, from `cursor`, then the hand-over of the rest. */
export async function rewritePathsPage(tenant: string, partnerId: string, moveId: string, cursor?: string, pageSize = PATH_PAGE_SIZE): Promise<RewriteOutcome> {
  const row = await getRow('main', partnerKey(tenant, partnerId));
  if (!row || row.moveId !== moveId) return { read: 0, rewritten: 0, queries: 0, superseded: true };
  const root = partnerRecord(row);
  const rootPath = [...(await verifiedPath(tenant, root)), partnerId];
  const stack: Frame[] = cursor === undefined ? [{ p: partnerId, q: [] }] : decodeCursor(cursor);
  // The new path of the children of the frame at `depth`: the moved partner's, then the walk down to it.
  const pathBelow = (depth: number) => [...rootPath, ...stack.slice(1, depth + 1).map((frame) => frame.p)];
  let read = 0;
  let rewritten = 0;
  let queries = 0;
  while (stack.length > 0 && read + queries < pageSize) {
    const top = stack[stack.length - 1];
    const next = top.q.shift();
    if (next !== undefined) {
      stack.push({ p: next, q: [] });
      continue;
    }
    if (top.d) {
      stack.pop();
      continue;
    }
    // The page's budget counts the query itself and every row it returns.
    const room = pageSize - read - queries - 1;
    if (room < 1) break;
    const limit = Math.min(CHILDREN_PER_QUERY, room);
    const after = top.a === undefined ? undefined : { ...partnerKey(tenant, top.a), ...childrenIndexKeys(tenant, top.p, top.a) };
    const page = await queryPage('main', { ...partition(childrenPartition(tenant, top.p), undefined, GSI1), Limit: limit }, after);
    queries += 1;
    const children = page.rows.map(partnerRecord);
    read += children.length;
    const parentPath = pathBelow(stack.length - 1);
    rewritten += await rewriteAll(tenant, children, parentPath);
    if (children.length > 0) top.a = children[children.length - 1].partnerId;
    top.q = children.map((child) => child.partnerId);
    if (!page.lastKey) top.d = true;
  }
  if (stack.length === 0) return { read, rewritten, queries };
  const nextCursor = encodeCursor(stack);
  const continuation = await handOn(partnerEvents.PartnerPathRewriteContinued, { tenant, partnerId, moveId, cursor: nextCursor }, [tenant, moveId, nextCursor]);
  return { read, rewritten, queries, cursor: nextCursor, continuation };
}

const samePath = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);

async function rewriteAll(tenant: string, children: readonly PartnerRecord[], path: readonly string[]): Promise<number> {
  const stale = children.filter((child) => !samePath(child.path, path));
  let done = 0;
  for (let i = 0; i < stale.length; i += PARALLEL_WRITES) {
    // A child moved again meanwhile is left alone: that move rewrites it.
    const outcomes = await Promise.all(
      stale.slice(i, i + PARALLEL_WRITES).map((child) => updateIfStill(rewritePath(tenant, child.partnerId, child.path, path))),
    );
    done += outcomes.filter(Boolean).length;
  }
  return done;
}
