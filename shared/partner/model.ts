import { childrenIndexKeys, ENTITY, externeIdIndexKeys, partnerKey } from './keys.js';
import { normaliseRechte, type Rechte } from './rechte.js';

export type Typ = 'PERSON' | 'ORGANISATION';

export interface Anschrift {
  strasse?: string;
  hausnummer?: string;
  plz?: string;
  ort?: string;
}

export interface Bankverbindung {
  referenzFeld?: string;
  kontoinhaber?: string;
  bic?: string;
  iban?: string;
}

/** The master data of a partner, spelled as the spec spells it. */
export interface PartnerAttributes {
  name?: string;
  vorname?: string;
  nachname?: string;
  email?: string;
  kreditsachbearbeiter?: boolean;
  externePartnerId?: string;
  titelFunktion?: string;
  anrede?: 'HERR' | 'FRAU';
  geburtsdatum?: string;
  telefonnummer?: string;
  mobilnummer?: string;
  faxnummer?: string;
  firmenname?: string;
  firmennameZusatz?: string;
  webseite?: string;
  anschrift?: Anschrift;
  bankverbindung?: Bankverbindung;
  aufsichtsbehoerde?: string;
  registrierungsnummer?: string;
}

export interface Lizenz {
  aktiv: boolean;
  aktiviertSeit?: string;
}

/** A partner as the domain sees it. */
export interface PartnerRecord {
  readonly tenant: string;
  readonly partnerId: string;
  readonly typ: Typ;
  /** Absent only for the tenant's root. */
  readonly parentId?: string;
  /** Ancestor ids from the root down to the parent: what makes visibility a constant number of reads. */
  readonly path: readonly string[];
  /** The partner's own lock; `gesperrt` in responses also looks at the ancestors. */
  readonly locked: boolean;
  readonly rechte: Rechte;
  readonly attributes: PartnerAttributes;
  readonly kennzeichen: Record<string, unknown>;
  readonly lizenzen: Record<string, Lizenz>;
  /** Optimistic concurrency: bumped by every write, exposed as the ETag. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The stored item of a partner, with its index keys (children by parent, partners by external id). */
export function partnerItem(record: PartnerRecord): Record<string, unknown> {
  const { tenant, partnerId, parentId } = record;
  const external = record.attributes.externePartnerId;
  return {
    ...partnerKey(tenant, partnerId),
    entityType: ENTITY.partner,
    ...(parentId ? childrenIndexKeys(tenant, parentId, partnerId) : {}),
    ...(external ? externeIdIndexKeys(tenant, external, partnerId) : {}),
    tenant,
    partnerId,
    typ: record.typ,
    parentId,
    path: [...record.path],
    locked: record.locked,
    rechte: record.rechte,
    attributes: record.attributes,
    kennzeichen: record.kennzeichen,
    lizenzen: record.lizenzen,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export function partnerFromItem(item: Record<string, unknown>): PartnerRecord {
  return {
    tenant: item.tenant as string,
    partnerId: item.partnerId as string,
    typ: item.typ as Typ,
    parentId: (item.parentId as string | undefined) ?? undefined,
    path: (item.path as string[] | undefined) ?? [],
    locked: item.locked === true,
    rechte: normaliseRechte(item.rechte as Rechte | undefined),
    attributes: (item.attributes as PartnerAttributes | undefined) ?? {},
    kennzeichen: (item.kennzeichen as Record<string, unknown> | undefined) ?? {},
    lizenzen: (item.lizenzen as Record<string, Lizenz> | undefined) ?? {},
    version: Number(item.version ?? 1),
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}
