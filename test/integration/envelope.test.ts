import { randomBytes } from 'node:crypto';
import { CreateAliasCommand, CreateKeyCommand, InvalidCiphertextException, KMSClient } from '@aws-sdk/client-kms';
import { startLocalKms, type LocalKms } from '../../infra/local/kms/server.js';

type Envelope = typeof import('../../shared/platform/envelope.js');

const KEY_ALIAS = 'alias/envelope-test';
const savedEnv = { ...process.env };
let server: LocalKms;
let envelope: Envelope;
let takeSdkCalls: () => Record<string, number>;

/** KMS calls since the last look, through the platform's own counting middleware. */
const kmsCalls = () => Object.entries(takeSdkCalls()).filter(([name]) => name.startsWith('KMS.')).reduce((sum, [, n]) => sum + n, 0);
const tenant = `t-${randomBytes(5).toString('hex')}`;
const contextOf = (reference: string) => ({ tenant, reference });

beforeAll(async () => {
  server = await startLocalKms({ port: 0 });
  const admin = new KMSClient({ endpoint: server.url, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { KeyMetadata } = await admin.send(new CreateKeyCommand({ Description: 'platform key' }));
  await admin.send(new CreateAliasCommand({ AliasName: KEY_ALIAS, TargetKeyId: KeyMetadata!.KeyId }));
  admin.destroy();

  // clients.ts and config.ts read the environment lazily, on first use; so set it before importing.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_KMS: server.url,
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: 'envelope-test-table',
    KEY_TABLE_NAME: 'envelope-test-keys',
    EVENT_BUS_NAME: 'envelope-test-bus',
    KMS_KEY_ID: KEY_ALIAS,
  });
  envelope = await import('../../shared/platform/envelope.js');
  ({ takeSdkCalls } = await import('../../shared/platform/sdk-calls.js'));
});

afterAll(async () => {
  const { kmsClient } = await import('../../shared/platform/clients.js');
  kmsClient().destroy();
  await server.stop();
  // Jest reuses the worker process: leave the environment as other test files expect it.
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

beforeEach(() => takeSdkCalls());

describe('sealing data under a data key', () => {
  const aad = { tenant, reference: 'ref-1', schema: 'address', item: 'item-1' };

  it('opens what it sealed, bound to the item', async () => {
    const { key } = await envelope.generateDataKey(contextOf('ref-1'));
    const sealed = envelope.seal(key, 'Hauptstraße 1', aad);
    expect(sealed).not.toContain('Hauptstraße');
    expect(envelope.open(key, sealed, { item: 'item-1', schema: 'address', reference: 'ref-1', tenant }).toString('utf8')).toBe('Hauptstraße 1');
  });

  it('refuses to open with another item, another key or a changed value', async () => {
    const { key } = await envelope.generateDataKey(contextOf('ref-2'));
    const sealed = envelope.seal(key, 'secret', aad);
    const failure = (reason: string) => expect.objectContaining({ name: 'EnvelopeIntegrityError', reason });

    expect(() => envelope.open(key, sealed, { ...aad, item: 'item-2' })).toThrow(failure('authentication-failed'));
    expect(() => envelope.open(envelope.newLocalKey(), sealed, aad)).toThrow(failure('authentication-failed'));
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[bytes.length - 1] ^= 0x01;
    expect(() => envelope.open(key, bytes.toString('base64url'), aad)).toThrow(failure('authentication-failed'));
    expect(() => envelope.open(key, sealed.slice(0, 20), aad)).toThrow(failure('malformed'));
    expect(() => envelope.open(key, `${sealed}!`, aad)).toThrow(envelope.EnvelopeIntegrityError);
  });

  it('wraps N local keys under one KMS data key, for one KMS call', async () => {
    const { key: referenceKey, wrapped } = await envelope.generateDataKey(contextOf('ref-3'));
    const schemas = ['address', 'email', 'phone', 'birthday'];
    const schemaKeys = schemas.map(() => envelope.newLocalKey());
    const wrappedKeys = schemas.map((schema, i) => envelope.wrapKey(referenceKey, schemaKeys[i], { tenant, reference: 'ref-3', schema }));
    expect(kmsCalls()).toBe(1);

    const cold = envelope.createDataKeyService();
    const reopened = await cold.decryptDataKey(wrapped, contextOf('ref-3'));
    const unwrapped = envelope.unwrapKey(reopened, wrappedKeys[2], { tenant, reference: 'ref-3', schema: 'phone' });
    expect(unwrapped.equals(schemaKeys[2])).toBe(true);
    expect(() => envelope.unwrapKey(reopened, wrappedKeys[2], { tenant, reference: 'ref-3', schema: 'email' })).toThrow(envelope.EnvelopeIntegrityError);
    // A wrapped key is not a sealed value, even under the same key and AAD.
    expect(() => envelope.open(reopened, wrappedKeys[0], { tenant, reference: 'ref-3', schema: 'address' })).toThrow(
      expect.objectContaining({ reason: 'unsupported-format' }),
    );
  });
});

describe('the data key cache', () => {
  it('serves a warm read without a KMS call', async () => {
    const producer = envelope.createDataKeyService();
    const { key, wrapped } = await producer.generateDataKey(contextOf('warm'));
    expect(kmsCalls()).toBe(1);
    expect((await producer.decryptDataKey(wrapped, contextOf('warm'))).equals(key)).toBe(true);
    expect(kmsCalls()).toBe(0);

    const reader = envelope.createDataKeyService();
    expect((await reader.decryptDataKey(wrapped, contextOf('warm'))).equals(key)).toBe(true);
    expect(kmsCalls()).toBe(1);
    await reader.decryptDataKey(wrapped, contextOf('warm'));
    expect(kmsCalls()).toBe(0);
  });

  it('never answers for a different encryption context: KMS decides, and refuses', async () => {
    const service = envelope.createDataKeyService();
    const { wrapped } = await service.generateDataKey(contextOf('ctx'));
    takeSdkCalls();
    await expect(service.decryptDataKey(wrapped, contextOf('other'))).rejects.toBeInstanceOf(InvalidCiphertextException);
    expect(kmsCalls()).toBe(1);
  });

  it('goes back to KMS once the TTL has passed', async () => {
    let now = 1_000_000;
    const service = envelope.createDataKeyService({ ttlMs: 60_000, now: () => now });
    const { wrapped } = await service.generateDataKey(contextOf('ttl'));
    takeSdkCalls();
    now += 59_999;
    await service.decryptDataKey(wrapped, contextOf('ttl'));
    expect(kmsCalls()).toBe(0);
    now += 1;
    await service.decryptDataKey(wrapped, contextOf('ttl'));
    expect(kmsCalls()).toBe(1);
  });

  it('keeps at most maxEntries keys, dropping the least recently used', async () => {
    const service = envelope.createDataKeyService({ maxEntries: 2 });
    const first = await service.generateDataKey(contextOf('lru-1'));
    const second = await service.generateDataKey(contextOf('lru-2'));
    await service.decryptDataKey(first.wrapped, contextOf('lru-1')); // first is now the most recent
    const third = await service.generateDataKey(contextOf('lru-3')); // evicts second
    takeSdkCalls();

    await service.decryptDataKey(first.wrapped, contextOf('lru-1'));
    await service.decryptDataKey(third.wrapped, contextOf('lru-3'));
    expect(kmsCalls()).toBe(0);
    await service.decryptDataKey(second.wrapped, contextOf('lru-2'));
    expect(kmsCalls()).toBe(1);
  });

  it('forgets a key on request, so the next read asks KMS', async () => {
    const service = envelope.createDataKeyService();
    const { wrapped } = await service.generateDataKey(contextOf('revoked'));
    takeSdkCalls();
    service.forget(wrapped);
    await service.decryptDataKey(wrapped, contextOf('revoked'));
    expect(kmsCalls()).toBe(1);
  });

  it('makes one KMS call for concurrent cold reads of the same key, each with its own copy', async () => {
    const { wrapped } = await envelope.createDataKeyService().generateDataKey(contextOf('burst'));
    const service = envelope.createDataKeyService();
    takeSdkCalls();
    const keys = await Promise.all([1, 2, 3].map(() => service.decryptDataKey(wrapped, contextOf('burst'))));
    expect(kmsCalls()).toBe(1);
    keys[0].fill(0);
    expect(keys[1].equals(Buffer.alloc(32))).toBe(false);
    expect(keys[1].equals(keys[2])).toBe(true);
  });

  it('wipes the key lent to withDataKey, but not the cached one', async () => {
    const { key, wrapped } = await envelope.generateDataKey(contextOf('lent'));
    let lent: Buffer | undefined;
    const opened = await envelope.withDataKey(wrapped, contextOf('lent'), (k) => {
      lent = k;
      return k.equals(key);
    });
    expect(opened).toBe(true);
    expect(lent!.equals(Buffer.alloc(32))).toBe(true);
    expect((await envelope.decryptDataKey(wrapped, contextOf('lent'))).equals(key)).toBe(true);
    envelope.forgetDataKey(wrapped);
    takeSdkCalls();
    await envelope.decryptDataKey(wrapped, contextOf('lent'));
    expect(kmsCalls()).toBe(1);
  });
});
