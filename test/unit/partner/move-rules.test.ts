import { type MoveRequest, moveRefusal } from '../../../shared/partner/move-rules.js';
import { isSelfOrAncestor } from '../../../shared/partner/visibility.js';

/** A tree: ROO00 > ORG01 > TEA01 > PER01; ROO00 > ELS01 (PER01 may hold an Einstellungsrecht there). */
const pathOf: Record<string, string[]> = {
  ROO00: [],
  ORG01: ['ROO00'],
  TEA01: ['ROO00', 'ORG01'],
  PER01: ['ROO00', 'ORG01', 'TEA01'],
  ELS01: ['ROO00'],
};
const request = (caller: string, partner: string, newParent: string, managesCurrentParent = true): MoveRequest => ({
  callerId: caller,
  callerPath: pathOf[caller],
  partnerId: partner,
  partnerPath: pathOf[partner],
  newParentId: newParent,
  newParentPath: pathOf[newParent],
  managesCurrentParent,
});

describe('who may move whom', () => {
  it('a partner never moves itself, whatever it manages', () => {
    expect(moveRefusal(request('PER01', 'PER01', 'ELS01'))).toMatchObject({ kind: 'Forbidden', code: 'CannotMoveSelf' });
    expect(moveRefusal(request('PER01', 'PER01', 'TEA01'))).toMatchObject({ code: 'CannotMoveSelf' });
  });

  it('nor one of its ancestors', () => {
    expect(moveRefusal(request('PER01', 'TEA01', 'ELS01'))).toMatchObject({ kind: 'Forbidden', code: 'CannotMoveOwnAncestor' });
    expect(moveRefusal(request('PER01', 'ORG01', 'ELS01'))).toMatchObject({ code: 'CannotMoveOwnAncestor' });
  });

  it('needs the Einstellungsrecht on the current parent', () => {
    expect(moveRefusal(request('PER01', 'ELS01', 'PER01', false))).toMatchObject({ kind: 'Forbidden', code: 'CurrentParentNotManaged' });
  });

  it('refuses the root (an ancestor of every caller) and a move below the partner itself or its descendants', () => {
    expect(moveRefusal(request('ELS01', 'ROO00', 'ELS01'))).toMatchObject({ code: 'CannotMoveOwnAncestor' });
    expect(moveRefusal(request('ROO00', 'ORG01', 'ORG01'))).toMatchObject({ kind: 'Invalid', code: 'MoveIntoOwnSubtree' });
    expect(moveRefusal(request('ROO00', 'ORG01', 'PER01'))).toMatchObject({ code: 'MoveIntoOwnSubtree' });
  });

  it('allows a caller above the partner to move it below a partner it manages', () => {
    expect(moveRefusal(request('ROO00', 'TEA01', 'ELS01'))).toBeUndefined();
    expect(moveRefusal(request('ORG01', 'PER01', 'ORG01'))).toBeUndefined();
  });
});

describe('self or ancestor', () => {
  it('is the caller and the partners on its path, nothing else', () => {
    expect(isSelfOrAncestor('PER01', pathOf.PER01, 'PER01')).toBe(true);
    expect(isSelfOrAncestor('PER01', pathOf.PER01, 'ROO00')).toBe(true);
    expect(isSelfOrAncestor('PER01', pathOf.PER01, 'ELS01')).toBe(false);
    expect(isSelfOrAncestor('TEA01', pathOf.TEA01, 'PER01')).toBe(false);
  });
});
