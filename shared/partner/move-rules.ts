import { isSelfOrAncestor } from './visibility.js';

/**
 * Who may move whom: pure rules over paths already verified by the access read.
 *
 * Every partner holds the Einstellungsrecht on itself, so "the caller may manage the partner" is not
 * enough to move it: a partner moving itself (or an ancestor of itself) would take its subtree away
 * from the organisation above it, whose visibility, management and locks would no longer apply.
 * So a move needs, besides the Einstellungsrecht on the partner and on the new parent:
 * - the partner is neither the caller nor one of its ancestors (403 `CannotMoveSelf` / `CannotMoveOwnAncestor`);
 * - the Einstellungsrecht on the partner's current parent too (403 `CurrentParentNotManaged`): the move
 *   takes the partner from there, so the caller must manage both ends ("with the Einstellungsrecht on both");
 * - the new parent is not the partner or below it (400 `MoveIntoOwnSubtree`: that would close a cycle).
 */
export interface MoveRequest {
  readonly callerId: string;
  readonly callerPath: readonly string[];
  readonly partnerId: string;
  readonly partnerPath: readonly string[];
  readonly newParentId: string;
  readonly newParentPath: readonly string[];
  /** Does the caller hold the Einstellungsrecht on the partner's current parent? */
  readonly managesCurrentParent: boolean;
}

export interface MoveRefusal {
  readonly kind: 'Forbidden' | 'Invalid';
  readonly code: 'CannotMoveSelf' | 'CannotMoveOwnAncestor' | 'RootCannotMove' | 'CurrentParentNotManaged' | 'MoveIntoOwnSubtree';
  readonly message: string;
}

export function moveRefusal(move: MoveRequest): MoveRefusal | undefined {
  const { callerId, partnerId, newParentId } = move;
  if (isSelfOrAncestor(callerId, move.callerPath, partnerId)) {
    return partnerId === callerId
      ? { kind: 'Forbidden', code: 'CannotMoveSelf', message: 'A partner cannot move itself; a partner managing its parent has to' }
      : { kind: 'Forbidden', code: 'CannotMoveOwnAncestor', message: `A partner cannot move ${partnerId}, one of its own ancestors` };
  }
  if (move.partnerPath.length === 0) return { kind: 'Invalid', code: 'RootCannotMove', message: 'The root of a tenant cannot be moved' };
  if (!move.managesCurrentParent) {
    const parent = move.partnerPath[move.partnerPath.length - 1];
    return {
      kind: 'Forbidden',
      code: 'CurrentParentNotManaged',
      message: `Moving ${partnerId} needs the Einstellungsrecht on its current parent ${parent} as well as on the new parent`,
    };
  }
  if (newParentId === partnerId || move.newParentPath.includes(partnerId)) {
    return { kind: 'Invalid', code: 'MoveIntoOwnSubtree', message: 'A partner cannot be moved below itself or one of its descendants' };
  }
  return undefined;
}
