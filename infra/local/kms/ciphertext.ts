import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KmsError } from './errors.js';
import type { EncryptionContext } from './input.js';

/**
 * Ciphertext blob of the local KMS, self-describing like the real one so Decrypt needs no KeyId:
 *
 *   [0]      format version (1)
 *   [1]      key id length n
 *   [2..2+n) key id (utf8)
 *   then     iv (12) | tag (16) | AES-256-GCM ciphertext
 *
 * The GCM AAD is the header plus the canonical encryption context, so changing the key id, the
 * version or the context makes authentication fail, which KMS reports as InvalidCiphertextException.
 */
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Order-independent and unambiguous: sorted [key, value] pairs as JSON; missing equals empty, as in KMS. */
export function canonicalContext(context: EncryptionContext): Buffer {
  const entries = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

function header(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  return Buffer.concat([Buffer.from([FORMAT_VERSION, id.length]), id]);
}

const invalidCiphertext = () =>
  new KmsError('InvalidCiphertextException', 'The ciphertext is invalid for this key and encryption context.');

function headLengthOf(blob: Buffer): number {
  if (blob.length < 2 || blob[0] !== FORMAT_VERSION) throw invalidCiphertext();
  const headLength = 2 + blob[1];
  if (blob.length < headLength + IV_BYTES + TAG_BYTES) throw invalidCiphertext();
  return headLength;
}

/** The key id a blob names, or InvalidCiphertextException if it is not one of ours. */
export function keyIdOfBlob(blob: Buffer): string {
  return blob.subarray(2, headLengthOf(blob)).toString('utf8');
}

export function sealBlob(material: Buffer, keyId: string, plaintext: Buffer, context: EncryptionContext): Buffer {
  const head = header(keyId);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(Buffer.concat([head, canonicalContext(context)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, iv, cipher.getAuthTag(), body]);
}

export function openBlob(material: Buffer, blob: Buffer, context: EncryptionContext): Buffer {
  const headLength = headLengthOf(blob);
  const iv = blob.subarray(headLength, headLength + IV_BYTES);
  const tag = blob.subarray(headLength + IV_BYTES, headLength + IV_BYTES + TAG_BYTES);
  const body = blob.subarray(headLength + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, iv);
    decipher.setAAD(Buffer.concat([blob.subarray(0, headLength), canonicalContext(context)]));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw invalidCiphertext();
  }
}
