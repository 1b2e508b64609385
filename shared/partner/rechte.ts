/**
 * Rechte (permissions) of a partner, grouped as the spec groups them. Pure rules, no I/O.
 */
export const RECHTE_FIELDS = {
  partnermanagement: ['apiClientEinstellungenVornehmen', 'einstellungenOeffnen', 'baufiSmartEinstellungenVornehmen', 'partnerAnlegen'],
  baufismart: ['baufiSmartNutzen', 'echtgeschaeft', 'vorgaengeUeberOberflaecheAnlegen', 'ergebnisListeNutzen', 'loeschen'],
  kreditsmart: ['echtgeschaeft', 'kreditSmartSichtbar', 'versicherungAnbieten', 'vorgaengeUeberOberflaecheAnlegen'],
} as const;

export type RechteGroup = keyof typeof RECHTE_FIELDS;
export type Rechte = { [G in RechteGroup]: { [F in (typeof RECHTE_FIELDS)[G][number]]: boolean } };
/** A partial change as PATCH (or the guide's POST) sends it. */
export type RechteChange = { [G in RechteGroup]?: Partial<Rechte[G]> };

const groups = Object.keys(RECHTE_FIELDS) as RechteGroup[];

function filled(value: boolean): Rechte {
  const out = {} as Record<string, Record<string, boolean>>;
  for (const group of groups) out[group] = Object.fromEntries(RECHTE_FIELDS[group].map((f) => [f, value]));
  return out as Rechte;
}

/** Persons start without any right unless the creator grants some (spec: "Rights are set to false"). */
export const noRechte = (): Rechte => filled(false);
/** The tenant's first administrator holds every right, so it can pass them on. */
export const allRechte = (): Rechte => filled(true);

/** Missing groups or fields in stored data count as false (older items, organisations). */
export function normaliseRechte(stored: RechteChange | undefined): Rechte {
  const out = noRechte() as unknown as Record<string, Record<string, boolean>>;
  for (const group of groups) {
    for (const field of RECHTE_FIELDS[group]) {
      const value = (stored?.[group] as Record<string, boolean | undefined> | undefined)?.[field];
      if (value === true) out[group][field] = true;
    }
  }
  return out as unknown as Rechte;
}

/** The rights a change would switch on that the granting caller does not hold itself ("group.field"). */
export function rechteBeyondCaller(change: RechteChange, caller: Rechte): string[] {
  const missing: string[] = [];
  for (const group of groups) {
    const fields = change[group] as Record<string, boolean | undefined> | undefined;
    if (!fields) continue;
    for (const field of RECHTE_FIELDS[group]) {
      if (fields[field] === true && !(caller[group] as Record<string, boolean>)[field]) missing.push(`${group}.${field}`);
    }
  }
  return missing;
}

/** Applies a partial change: only the named fields move, everything else stays. */
export function applyRechte(current: Rechte, change: RechteChange): Rechte {
  const next = normaliseRechte(current) as unknown as Record<string, Record<string, boolean>>;
  for (const group of groups) {
    const fields = change[group] as Record<string, boolean | undefined> | undefined;
    if (!fields) continue;
    for (const field of RECHTE_FIELDS[group]) {
      if (typeof fields[field] === 'boolean') next[group][field] = fields[field] as boolean;
    }
  }
  return next as unknown as Rechte;
}

export function sameRechte(a: Rechte, b: Rechte): boolean {
  return groups.every((g) => RECHTE_FIELDS[g].every((f) => (a[g] as Record<string, boolean>)[f] === (b[g] as Record<string, boolean>)[f]));
}
