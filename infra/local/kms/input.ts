import { KmsError, validation } from './errors.js';

/** The parsed JSON body of one request; every field is checked before use. */
export type Input = Readonly<Record<string, unknown>>;
export type EncryptionContext = Readonly<Record<string, string>>;

export function requiredString(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw validation(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

export function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new KmsError('SerializationException', `${field} must be a string`);
  return value;
}

export function optionalInteger(input: Input, field: string, min: number, max: number): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new KmsError('SerializationException', `${field} must be an integer`);
  }
  if (value < min || value > max) {
    throw validation(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
  }
  return value;
}

/** Blobs travel base64 in JSON (AWS JSON 1.1); KMS caps plaintext at 4096 and ciphertext at 6144 bytes. */
export function requiredBlob(input: Input, field: string, maxBytes: number): Buffer {
  const text = requiredString(input, field);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new KmsError('SerializationException', `${field} is not valid base64`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length < 1 || bytes.length > maxBytes) {
    throw validation(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length between 1 and ${maxBytes}`);
  }
  return bytes;
}

export function encryptionContext(input: Input, field = 'EncryptionContext'): EncryptionContext {
  const value = input[field];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new KmsError('SerializationException', `${field} must be a map of strings`);
  }
  for (const entry of Object.values(value)) {
    if (typeof entry !== 'string') throw new KmsError('SerializationException', `${field} values must be strings`);
  }
  return value as EncryptionContext;
}

/** Symmetric keys know one algorithm; asking for another is a key-usage error, as in KMS. */
export function requireSymmetricAlgorithm(input: Input, field = 'EncryptionAlgorithm'): void {
  const algorithm = optionalString(input, field);
  if (algorithm !== undefined && algorithm !== 'SYMMETRIC_DEFAULT') {
    throw new KmsError('InvalidKeyUsageException', `${algorithm} is not supported by a symmetric key`);
  }
}
