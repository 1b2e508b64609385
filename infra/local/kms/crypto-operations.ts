import { randomBytes } from 'node:crypto';
import { keyIdOfBlob, openBlob, sealBlob } from './ciphertext.js';
import { KmsError, validation } from './errors.js';
import {
  encryptionContext,
  optionalInteger,
  optionalString,
  requireSymmetricAlgorithm,
  requiredBlob,
  requiredString,
  type EncryptionContext,
  type Input,
} from './input.js';
import type { KeyRecord, KeyStore } from './key-store.js';

const SYMMETRIC = 'SYMMETRIC_DEFAULT';
const MAX_PLAINTEXT = 4096;
const MAX_CIPHERTEXT = 6144;
const b64 = (bytes: Buffer) => bytes.toString('base64');

/** Runs `use` with the key's decoded material and zeroes it afterwards. */
function withMaterial<T>(store: KeyStore, key: KeyRecord, use: (material: Buffer) => T): T {
  const material = store.materialOf(key);
  try {
    return use(material);
  } finally {
    material.fill(0);
  }
}

function seal(store: KeyStore, key: KeyRecord, plaintext: Buffer, context: EncryptionContext): Buffer {
  return withMaterial(store, key, (material) => sealBlob(material, key.keyId, plaintext, context));
}

/**
 * The key named inside the blob decrypts it; a KeyId in the request must name the same key
 * (IncorrectKeyException otherwise). A blob naming no key we hold is not our ciphertext.
 */
function open(store: KeyStore, blob: Buffer, context: EncryptionContext, requestedKeyId?: string) {
  const embeddedId = keyIdOfBlob(blob);
  let key: KeyRecord;
  try {
    key = store.byId(embeddedId);
  } catch {
    throw new KmsError('InvalidCiphertextException', 'The ciphertext refers to a key that does not exist.');
  }
  if (requestedKeyId !== undefined && store.resolve(requestedKeyId).keyId !== key.keyId) {
    throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
  }
  store.requireUsable(key);
  return { key, plaintext: withMaterial(store, key, (material) => openBlob(material, blob, context)) };
}

function dataKeyLength(input: Input): number {
  const spec = optionalString(input, 'KeySpec');
  const bytes = optionalInteger(input, 'NumberOfBytes', 1, 1024);
  if ((spec === undefined) === (bytes === undefined)) {
    throw validation('Please specify either number of bytes or key spec.');
  }
  if (bytes !== undefined) return bytes;
  if (spec === 'AES_256') return 32;
  if (spec === 'AES_128') return 16;
  throw validation(`1 validation error detected: Value '${spec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]`);
}

function generate(store: KeyStore, input: Input, withPlaintext: boolean) {
  const key = store.requireUsable(store.resolve(requiredString(input, 'KeyId')));
  const plaintext = randomBytes(dataKeyLength(input));
  try {
    const blob = seal(store, key, plaintext, encryptionContext(input));
    return {
      CiphertextBlob: b64(blob),
      ...(withPlaintext ? { Plaintext: b64(plaintext) } : {}),
      KeyId: store.keyArn(key.keyId),
    };
  } finally {
    plaintext.fill(0);
  }
}

function encrypt(store: KeyStore, input: Input) {
  requireSymmetricAlgorithm(input);
  const key = store.requireUsable(store.resolve(requiredString(input, 'KeyId')));
  const plaintext = requiredBlob(input, 'Plaintext', MAX_PLAINTEXT);
  const blob = seal(store, key, plaintext, encryptionContext(input));
  plaintext.fill(0);
  return { CiphertextBlob: b64(blob), KeyId: store.keyArn(key.keyId), EncryptionAlgorithm: SYMMETRIC };
}

function decrypt(store: KeyStore, input: Input) {
  requireSymmetricAlgorithm(input);
  const blob = requiredBlob(input, 'CiphertextBlob', MAX_CIPHERTEXT);
  const { key, plaintext } = open(store, blob, encryptionContext(input), optionalString(input, 'KeyId'));
  const response = { KeyId: store.keyArn(key.keyId), Plaintext: b64(plaintext), EncryptionAlgorithm: SYMMETRIC };
  plaintext.fill(0);
  return response;
}

/** Decrypts and encrypts again inside the service, so the plaintext never reaches the caller. */
function reEncrypt(store: KeyStore, input: Input) {
  requireSymmetricAlgorithm(input, 'SourceEncryptionAlgorithm');
  requireSymmetricAlgorithm(input, 'DestinationEncryptionAlgorithm');
  const blob = requiredBlob(input, 'CiphertextBlob', MAX_CIPHERTEXT);
  const destination = store.requireUsable(store.resolve(requiredString(input, 'DestinationKeyId')));
  const source = open(store, blob, encryptionContext(input, 'SourceEncryptionContext'), optionalString(input, 'SourceKeyId'));
  try {
    const sealed = seal(store, destination, source.plaintext, encryptionContext(input, 'DestinationEncryptionContext'));
    return {
      CiphertextBlob: b64(sealed),
      SourceKeyId: store.keyArn(source.key.keyId),
      KeyId: store.keyArn(destination.keyId),
      SourceEncryptionAlgorithm: SYMMETRIC,
      DestinationEncryptionAlgorithm: SYMMETRIC,
    };
  } finally {
    source.plaintext.fill(0);
  }
}

export const cryptoOperations = {
  GenerateDataKey: (store: KeyStore, input: Input) => generate(store, input, true),
  GenerateDataKeyWithoutPlaintext: (store: KeyStore, input: Input) => generate(store, input, false),
  Encrypt: encrypt,
  Decrypt: decrypt,
  ReEncrypt: reEncrypt,
};
