/**
 * Every key of the partner context, built in one place. Partner data lives in the caller's tenant
 * (`T#<tenant>#...`), so a token of one tenant can never address another tenant's partners.
 * Two claims are platform-wide on purpose (partner ids and Zugang user names are unique across all
 * tenants, as Europace's are) and therefore carry no tenant prefix.
 */
export interface Key {
  readonly PK: string;
  readonly SK: string;
}

const partnerPartition = (tenant: string, partnerId: string) => `T#${tenant}#PARTNER#${partnerId}`;

/** The partner item: master data, type, parent, ancestor path, own lock flag, rights, version. */
export const partnerKey = (tenant: string, partnerId: string): Key => ({
  PK: partnerPartition(tenant, partnerId),
  SK: 'PARTNER',
});

/** The Zugang (user access) of a partner, next to the partner item. */
export const zugangKey = (tenant: string, partnerId: string): Key => ({
  PK: partnerPartition(tenant, partnerId),
  SK: 'ZUGANG',
});

export const EINSTELLUNG_PREFIX = 'EINSTELLUNG#';
export const UEBERNAHME_PREFIX = 'UEBERNAHME#';
export const HANDEL_PREFIX = 'HANDEL#';

/** `holder` holds the Einstellungsrecht on `target` (and implicitly on everything below it). */
export const einstellungsrechtKey = (tenant: string, holder: string, target: string): Key => ({
  PK: partnerPartition(tenant, holder),
  SK: `${EINSTELLUNG_PREFIX}${target}`,
});

/** `holder` holds the Zugriffsrecht (Übernahmerecht) for the Vorgänge of `target`. */
export const uebernahmeRechtKey = (tenant: string, holder: string, target: string): Key => ({
  PK: partnerPartition(tenant, holder),
  SK: `${UEBERNAHME_PREFIX}${target}`,
});

/** `holder` trades with `target` (makes the target's Kontaktdaten visible to the holder). */
export const handelsbeziehungKey = (tenant: string, holder: string, target: string): Key => ({
  PK: partnerPartition(tenant, holder),
  SK: `${HANDEL_PREFIX}${target}`,
});

/** The partition holding a partner's outgoing grants, for `administrierbare` and `uebernehmbare`. */
export const grantsPartition = partnerPartition;

/** Platform-wide claim on a partner id: reserved by `allocatePartnerId`, bound when the partner is written. */
export const partnerIdClaimKey = (partnerId: string): Key => ({ PK: `PARTNERID#${partnerId}`, SK: 'PARTNERID' });

/** Platform-wide claim on a Zugang user name (an e-mail address, compared lower-cased). */
export const benutzernameClaimKey = (benutzername: string): Key => ({
  PK: `BENUTZERNAME#${benutzername.toLowerCase()}`,
  SK: 'BENUTZERNAME',
});

/** GSI1: children of a parent, ordered by id (`GET …/untergeordnete`). */
export const childrenIndexKeys = (tenant: string, parentId: string, partnerId: string) => ({
  GSI1PK: `T#${tenant}#CHILDREN#${parentId}`,
  GSI1SK: `PARTNER#${partnerId}`,
});
export const childrenPartition = (tenant: string, parentId: string) => `T#${tenant}#CHILDREN#${parentId}`;

/** GSI2: partners by external id (`GET /partners?externePartnerId=`). */
export const externeIdIndexKeys = (tenant: string, externePartnerId: string, partnerId: string) => ({
  GSI2PK: externeIdPartition(tenant, externePartnerId),
  GSI2SK: `PARTNER#${partnerId}`,
});
export const externeIdPartition = (tenant: string, externePartnerId: string) =>
  `T#${tenant}#EXTID#${externePartnerId}`;

/**
 * Uniqueness claim of an external id among the children of one parent: the create-or-update contract
 * (`POST …/untergeordnete` names an existing child by its `externePartnerId`) needs at most one such
 * child, and a conditional write on this key is what DynamoDB can guarantee it with (decision 0021).
 * The external id (≤ 500 characters) sits in the partition key, which allows 2048 bytes.
 */
export const externeIdClaimKey = (tenant: string, parentId: string | undefined, externePartnerId: string): Key => ({
  PK: `T#${tenant}#EXTIDCLAIM#${externePartnerId}`,
  SK: parentId ? `CHILDOF#${parentId}` : 'ROOT',
});

export const ENTITY = {
  partner: 'Partner',
  zugang: 'Zugang',
  einstellungsrecht: 'Einstellungsrecht',
  uebernahmeRecht: 'UebernahmeRecht',
  handelsbeziehung: 'Handelsbeziehung',
  partnerIdClaim: 'PartnerIdClaim',
  benutzernameClaim: 'BenutzernameClaim',
  externeIdClaim: 'ExternePartnerIdClaim',
} as const;
