import { decryptDataKey, generateDataKey, newLocalKey, unwrapKey, wrapKey } from '../platform/envelope.js';

/**
 * Key material of the consent context (docs/consent.md, "Keys"). Each reference has one KMS data key
 * (encryption context: tenant + reference), stored wrapped in the key table; each granted
 * (reference, schema) has a key generated here and wrapped under the reference's data key, bound to
 * tenant, reference, schema and grant blob. So creating a reference with N schemas, or granting a
 * class of N schemas, costs at most one KMS call. No plaintext key is ever stored, logged or sent.
 */
export interface SchemaKeyAddress {
  readonly tenant: string;
  readonly ref: string;
  readonly schema: string;
  readonly grantBlob: string;
}

const contextOf = (tenant: string, ref: string) => ({ tenant, consentReference: ref });
const aadOf = (a: SchemaKeyAddress) => ({ tenant: a.tenant, consentReference: a.ref, schema: a.schema, grantBlob: a.grantBlob });

/** A new KMS data key for a reference: one GenerateDataKey call. */
export async function generateReferenceDataKey(tenant: string, ref: string): Promise<{ plaintext: Buffer; wrapped: string }> {
  const { key, wrapped } = await generateDataKey(contextOf(tenant, ref));
  return { plaintext: key, wrapped };
}

/** The plaintext of a reference's data key: from the bounded cache, else one KMS Decrypt. */
export const openReferenceDataKey = (tenant: string, ref: string, wrapped: string): Promise<Buffer> =>
  decryptDataKey(wrapped, contextOf(tenant, ref));

/** A fresh schema key, returned only in its wrapped form (no KMS call). */
export function newWrappedSchemaKey(dataKey: Buffer, address: SchemaKeyAddress): string {
  const key = newLocalKey();
  try {
    return wrapKey(dataKey, key, aadOf(address));
  } finally {
    key.fill(0);
  }
}

export const unwrapSchemaKey = (dataKey: Buffer, address: SchemaKeyAddress, wrapped: string): Buffer =>
  unwrapKey(dataKey, wrapped, aadOf(address));
