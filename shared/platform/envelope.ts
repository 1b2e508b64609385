import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { kmsClient } from './clients.js';
import { config } from './config.js';
import { DataKeyCache } from './data-key-cache.js';

/**
 * Envelope encryption of the platform (docs/decisions/0003-envelope-encryption.md): a KMS data key
 * per protected unit (e.g. a consent reference), cached in plaintext for a short while, and AES-256-GCM
 * for the data itself with the item's identity as additional authenticated data (AAD).
 */

/** KMS encryption context: not secret, logged by CloudTrail, must match exactly on decrypt. */
export type EncryptionContext = Readonly<Record<string, string>>;
/** What a sealed value is bound to, e.g. `{ tenant, reference, schema, item }`. */
export type Aad = Readonly<Record<string, string>>;

export interface DataKey {
  /** 32 bytes of plaintext key; the caller's copy, wipe it with `.fill(0)` when done. */
  readonly key: Buffer;
  /** The KMS ciphertext blob, base64: store it in the key table, pass it to `decryptDataKey`. */
  readonly wrapped: string;
}

export type EnvelopeFailure = 'malformed' | 'unsupported-format' | 'authentication-failed';

/** A sealed value or wrapped key that is not intact, not ours, or opened with the wrong key or AAD. */
export class EnvelopeIntegrityError extends Error {
  override readonly name = 'EnvelopeIntegrityError';
  constructor(readonly reason: EnvelopeFailure) {
    super(`Sealed value cannot be opened: ${reason}`);
  }
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of every sealed value; part of the AAD, so a wrapped key never opens as data or vice versa. */
const FORMAT = { data: 0x01, wrappedKey: 0x02 } as const;
type Format = (typeof FORMAT)[keyof typeof FORMAT];

/** Sorted [name, value] pairs as JSON: independent of property order and unambiguous (no separator games). */
export function canonical(fields: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function requireKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new TypeError(`An AES-256 key has ${KEY_BYTES} bytes, got ${key.length}`);
}

function requireBinding(fields: Readonly<Record<string, string>>, what: string): void {
  if (Object.keys(fields).length === 0) throw new TypeError(`${what} must name what it binds (at least one field)`);
}

function aadBytes(format: Format, aad: Aad): Buffer {
  return Buffer.concat([Buffer.from([format]), Buffer.from(canonical(aad), 'utf8')]);
}

function sealAs(format: Format, key: Uint8Array, plaintext: Uint8Array | string, aad: Aad): string {
  requireKey(key);
  requireBinding(aad, 'AAD');
  const input = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aadBytes(format, aad));
  const body = Buffer.concat([cipher.update(input), cipher.final()]);
  if (typeof plaintext === 'string') (input as Buffer).fill(0);
  return Buffer.concat([Buffer.from([format]), iv, cipher.getAuthTag(), body]).toString('base64url');
}

function openAs(format: Format, key: Uint8Array, sealed: string, aad: Aad): Buffer {
  requireKey(key);
  if (!/^[A-Za-z0-9_-]+$/.test(sealed)) throw new EnvelopeIntegrityError('malformed');
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 1 + IV_BYTES + TAG_BYTES) throw new EnvelopeIntegrityError('malformed');
  if (bytes[0] !== format) throw new EnvelopeIntegrityError('unsupported-format');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(1, 1 + IV_BYTES));
  decipher.setAAD(aadBytes(format, aad));
  decipher.setAuthTag(bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
  const body = bytes.subarray(1 + IV_BYTES + TAG_BYTES);
  const first = decipher.update(body);
  try {
    return Buffer.concat([first, decipher.final()]); // concat copies, so `first` can be wiped below
  } catch {
    throw new EnvelopeIntegrityError('authentication-failed');
  } finally {
    first.fill(0); // and unauthenticated plaintext must not survive a failed check
  }
}

/** AES-256-GCM of `plaintext` bound to `aad`: base64url of `format(1) | iv(12) | tag(16) | ciphertext`. */
export const seal = (key: Uint8Array, plaintext: Uint8Array | string, aad: Aad): string =>
  sealAs(FORMAT.data, key, plaintext, aad);

/** The plaintext of `seal`, or EnvelopeIntegrityError for a tampered value, wrong key or wrong AAD. */
export const open = (key: Uint8Array, sealed: string, aad: Aad): Buffer => openAs(FORMAT.data, key, sealed, aad);

/** A fresh 256-bit key made here, e.g. a per-schema key wrapped under a reference's KMS data key. */
export const newLocalKey = (): Buffer => randomBytes(KEY_BYTES);

/** Wraps `key` under `wrappingKey` locally (no KMS call), bound to `aad`. */
export function wrapKey(wrappingKey: Uint8Array, key: Uint8Array, aad: Aad): string {
  requireKey(key);
  return sealAs(FORMAT.wrappedKey, wrappingKey, key, aad);
}

export function unwrapKey(wrappingKey: Uint8Array, wrapped: string, aad: Aad): Buffer {
  const key = openAs(FORMAT.wrappedKey, wrappingKey, wrapped, aad);
  if (key.length !== KEY_BYTES) throw new EnvelopeIntegrityError('malformed');
  return key;
}

export interface DataKeyServiceOptions {
  /** Default: the platform's `kmsClient()`. */
  readonly kms?: () => KMSClient;
  /** The KMS key (id, ARN or alias) data keys are made under; default `config().kmsKeyId`. */
  readonly keyId?: () => string;
  /** Default 1000 entries (32 bytes each). */
  readonly maxEntries?: number;
  /** Default 5 minutes: also the longest a revoked key keeps working in another warm container. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export interface DataKeyService {
  /** One KMS GenerateDataKey (AES_256) under `context`; the key is cached under its wrapped form. */
  generateDataKey(context: EncryptionContext): Promise<DataKey>;
  /** The plaintext key of `wrapped` (caller's copy): from the cache when warm, else one KMS Decrypt. */
  decryptDataKey(wrapped: string, context: EncryptionContext): Promise<Buffer>;
  /** `decryptDataKey`, then `use`, then the key copy is wiped whatever `use` did. */
  withDataKey<T>(wrapped: string, context: EncryptionContext, use: (key: Buffer) => T | Promise<T>): Promise<T>;
  /** Drops the cached plaintext of `wrapped` at once, e.g. when its reference is revoked. */
  forget(wrapped: string): void;
}

export function createDataKeyService(options: DataKeyServiceOptions = {}): DataKeyService {
  const kms = options.kms ?? kmsClient;
  const keyId = options.keyId ?? (() => config().kmsKeyId);
  const cache = new DataKeyCache({
    maxEntries: options.maxEntries ?? 1000,
    ttlMs: options.ttlMs ?? 5 * 60_000,
    now: options.now,
  });
  // Concurrent reads of items under the same key (Promise.all) share one KMS call.
  const inFlight = new Map<string, Promise<Buffer>>();

  async function fromKms(wrapped: string, context: EncryptionContext, contextId: string): Promise<Buffer> {
    const output = await kms().send(
      new DecryptCommand({ CiphertextBlob: Buffer.from(wrapped, 'base64'), EncryptionContext: { ...context }, KeyId: keyId() }),
    );
    const plaintext = output.Plaintext!;
    cache.set(wrapped, contextId, plaintext);
    // Shared by the callers that joined this call; each copies it, the GC reclaims it.
    return Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
  }

  const service: DataKeyService = {
    async generateDataKey(context) {
      requireBinding(context, 'Encryption context');
      const output = await kms().send(
        new GenerateDataKeyCommand({ KeyId: keyId(), KeySpec: 'AES_256', EncryptionContext: { ...context } }),
      );
      const wrapped = Buffer.from(output.CiphertextBlob!).toString('base64');
      const plaintext = output.Plaintext!;
      cache.set(wrapped, canonical(context), plaintext);
      const key = Buffer.from(plaintext);
      plaintext.fill(0);
      return { key, wrapped };
    },

    async decryptDataKey(wrapped, context) {
      requireBinding(context, 'Encryption context');
      const contextId = canonical(context);
      const cached = cache.get(wrapped, contextId);
      if (cached) return cached;
      const flightKey = `${wrapped}\n${contextId}`;
      let pending = inFlight.get(flightKey);
      if (!pending) {
        pending = fromKms(wrapped, context, contextId).finally(() => inFlight.delete(flightKey));
        inFlight.set(flightKey, pending);
      }
      // Every caller gets its own copy, so wiping one caller's key never wipes another's.
      return Buffer.from(await pending);
    },

    async withDataKey(wrapped, context, use) {
      const key = await service.decryptDataKey(wrapped, context);
      try {
        return await use(key);
      } finally {
        key.fill(0);
      }
    },

    forget(wrapped) {
      cache.forget(wrapped);
    },
  };
  return service;
}

let platformService: DataKeyService | undefined;
/** The container-wide service: one cache per warm Lambda instance, created on first use (no config read at import). */
const platform = (): DataKeyService => (platformService ??= createDataKeyService());

export const generateDataKey = (context: EncryptionContext) => platform().generateDataKey(context);
export const decryptDataKey = (wrapped: string, context: EncryptionContext) => platform().decryptDataKey(wrapped, context);
export const withDataKey = <T>(wrapped: string, context: EncryptionContext, use: (key: Buffer) => T | Promise<T>) =>
  platform().withDataKey(wrapped, context, use);
export const forgetDataKey = (wrapped: string) => platform().forget(wrapped);
