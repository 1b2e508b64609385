import type { ConsentItem, ConsentRow, ReferenceItem, SchemaItem } from './model.js';

/** One consent as the seed shows it, plus the leading reference every response names. */
export interface ConsentView {
  readonly consentClass: string;
  readonly purpose: 'READ+WRITE';
  readonly schema: string;
  readonly grantBlob: string | null;
  readonly granted: boolean;
  readonly schemaTitle: string;
  readonly schemaDescription: string;
  readonly leadingConsentReference: string;
}

/** Which metamodel schemas a reference holds consents for: user schemas, or tenant schemas for TENANT. */
export function schemasOf(reference: ReferenceItem, metamodel: readonly SchemaItem[]): SchemaItem[] {
  const owner = reference.kind === 'tenant' ? 'tenant' : 'user';
  return metamodel.filter((schema) => schema.active && schema.owner === owner);
}

/**
 * Consents of active schemas only (a removed schema hides its consent, which stays stored); a schema
 * the reference never granted shows as not granted.
 */
export function consentViews(
  leader: ReferenceItem,
  consents: readonly ConsentItem[],
  schemas: readonly SchemaItem[],
): ConsentView[] {
  const bySchema = new Map(consents.map((consent) => [consent.schema, consent]));
  return schemas.map((schema) => {
    const consent = bySchema.get(schema.schema);
    const granted = consent?.granted === true;
    return {
      consentClass: schema.consentClass,
      purpose: 'READ+WRITE',
      schema: schema.schema,
      grantBlob: granted ? (consent?.grantBlob ?? null) : null,
      granted,
      schemaTitle: schema.title,
      schemaDescription: schema.description,
      leadingConsentReference: leader.ref,
    };
  });
}

/**
 * The consents of a reference from its rows alone (one Query): rows of removed schemas are hidden, every
 * active schema of the reference's side has a row (created as "not granted" by the metamodel fan-out).
 */
export function rowViews(leader: ReferenceItem, rows: readonly ConsentRow[]): ConsentView[] {
  return rows.filter((row) => row.schemaActive === true).map((row) => ({
    consentClass: row.consentClass,
    purpose: 'READ+WRITE',
    schema: row.schema,
    grantBlob: row.granted ? (row.grantBlob ?? null) : null,
    granted: row.granted === true,
    schemaTitle: row.schemaTitle ?? '',
    schemaDescription: row.schemaDescription ?? '',
    leadingConsentReference: leader.ref,
  }));
}

export interface ReferenceView {
  readonly id: string;
  readonly status: 'pending' | 'active';
  readonly blocked: boolean;
  readonly leadingConsentReference: string;
  readonly aliases: readonly string[];
  readonly createdAt: string;
}

export function referenceView(addressed: ReferenceItem, leader: ReferenceItem): ReferenceView {
  return {
    id: addressed.ref,
    status: leader.status,
    blocked: leader.blocked,
    leadingConsentReference: leader.ref,
    aliases: leader.aliases ?? [],
    createdAt: addressed.createdAt,
  };
}
