import {
  type AncestorRow,
  canSeeKontaktdaten,
  correctedPath,
  type GrantKind,
  hasEinstellungsrecht,
  hasUebernahmeRecht,
  isGesperrt,
} from '../../../shared/partner/visibility.js';

/** A tree: ROO00 > ORG01 > (TEA01 > PER01), (TEA02 > PER02) */
const pathOf: Record<string, string[]> = {
  ROO00: [],
  ORG01: ['ROO00'],
  TEA01: ['ROO00', 'ORG01'],
  PER01: ['ROO00', 'ORG01', 'TEA01'],
  TEA02: ['ROO00', 'ORG01'],
  PER02: ['ROO00', 'ORG01', 'TEA02'],
};
const grantsOf = (...granted: [string, GrantKind, string][]) => (holder: string, kind: GrantKind, target: string) =>
  granted.some(([h, k, t]) => h === holder && k === kind && t === target);
const none = grantsOf();

describe('visibility and Einstellungsrecht', () => {
  it('a partner sees itself and everything below it', () => {
    expect(hasEinstellungsrecht('PER01', 'PER01', pathOf.PER01, none)).toBe(true);
    expect(hasEinstellungsrecht('ORG01', 'PER02', pathOf.PER02, none)).toBe(true);
  });

  it('a partner does not see its parent or a partner beside it', () => {
    expect(hasEinstellungsrecht('PER01', 'TEA01', pathOf.TEA01, none)).toBe(false);
    expect(hasEinstellungsrecht('TEA01', 'TEA02', pathOf.TEA02, none)).toBe(false);
    expect(hasEinstellungsrecht('PER01', 'PER02', pathOf.PER02, none)).toBe(false);
  });

  it('an explicit Einstellungsrecht covers its target and everything below it', () => {
    const grants = grantsOf(['PER01', 'EINSTELLUNG', 'TEA02']);
    expect(hasEinstellungsrecht('PER01', 'TEA02', pathOf.TEA02, grants)).toBe(true);
    expect(hasEinstellungsrecht('PER01', 'PER02', pathOf.PER02, grants)).toBe(true);
    expect(hasEinstellungsrecht('PER01', 'ORG01', pathOf.ORG01, grants)).toBe(false);
  });

  it('a Zugriffsrecht or a trading relation shows Kontaktdaten but not the partner', () => {
    const zugriff = grantsOf(['PER01', 'UEBERNAHME', 'TEA02']);
    expect(canSeeKontaktdaten('PER01', 'PER02', pathOf.PER02, zugriff)).toBe(true);
    expect(hasEinstellungsrecht('PER01', 'PER02', pathOf.PER02, zugriff)).toBe(false);
    const handel = grantsOf(['PER01', 'HANDEL', 'PER02']);
    expect(canSeeKontaktdaten('PER01', 'PER02', pathOf.PER02, handel)).toBe(true);
    expect(canSeeKontaktdaten('PER01', 'TEA02', pathOf.TEA02, handel)).toBe(false);
  });

  it('Zugriffsrecht: own Vorgänge, those below, and explicit grants with their subtree', () => {
    expect(hasUebernahmeRecht('TEA01', 'PER01', pathOf.PER01, none)).toBe(true);
    expect(hasUebernahmeRecht('PER01', 'PER02', pathOf.PER02, none)).toBe(false);
    expect(hasUebernahmeRecht('PER01', 'PER02', pathOf.PER02, grantsOf(['PER01', 'UEBERNAHME', 'PER02']))).toBe(true);
  });
});

const row = (partnerId: string, locked = false, path = pathOf[partnerId]): AncestorRow => ({
  partnerId,
  path,
  parentId: path[path.length - 1],
  locked,
});

describe('locks', () => {
  it('a partner is gesperrt when it or any ancestor is locked', () => {
    const ancestors = new Map([row('ROO00'), row('ORG01', true), row('TEA01')].map((r) => [r.partnerId, r]));
    expect(isGesperrt(false, pathOf.PER01, ancestors)).toBe(true);
    expect(isGesperrt(false, [], ancestors)).toBe(false);
    expect(isGesperrt(true, [], ancestors)).toBe(true);
  });
});

describe('paths after a move', () => {
  it('a path that agrees with its ancestors is kept', () => {
    const ancestors = new Map(['ROO00', 'ORG01', 'TEA01'].map((id) => [id, row(id)]));
    expect(correctedPath(pathOf.PER01, ancestors)).toBeUndefined();
  });

  it('a stale path is corrected from the first ancestor that moved', () => {
    // TEA01 moved below TEA02; PER01's stored path still runs through ORG01 directly.
    const moved = row('TEA01', false, ['ROO00', 'ORG01', 'TEA02']);
    const ancestors = new Map([row('ROO00'), row('ORG01'), moved].map((r) => [r.partnerId, r]));
    expect(correctedPath(pathOf.PER01, ancestors)).toEqual(['ROO00', 'ORG01', 'TEA02', 'TEA01']);
  });

  it('an ancestor below the move whose own path is not rewritten yet does not bring the old path back', () => {
    // TEA01 moved from ORG01 below ORG02; PER01 and TEA01's child SUB01 are not rewritten yet.
    const moved = row('TEA01', false, ['ROO00', 'ORG02']);
    const staleChild = { ...row('SUB01', false, ['ROO00', 'ORG01', 'TEA01']) };
    const ancestors = new Map([row('ROO00'), row('ORG01'), row('ORG02', false, ['ROO00']), moved, staleChild].map((r) => [r.partnerId, r]));
    const corrected = correctedPath(['ROO00', 'ORG01', 'TEA01', 'SUB01'], ancestors);
    expect(corrected).toEqual(['ROO00', 'ORG02', 'TEA01', 'SUB01']);
    expect(correctedPath(corrected!, ancestors)).toBeUndefined();
  });
});
