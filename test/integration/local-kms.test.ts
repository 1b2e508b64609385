import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AlreadyExistsException,
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisabledException,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyRotationStatusCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  KMSClient,
  KMSInvalidStateException,
  ListAliasesCommand,
  NotFoundException,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { startLocalKms, type LocalKms } from '../../infra/local/kms/server.js';

const clientFor = (url: string) =>
  new KMSClient({ endpoint: url, region: 'eu-central-1', maxAttempts: 1, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

/** KMS reports constraint violations as ValidationException, which the SDK models as no class of its own. */
const validationError = { name: 'ValidationException', $metadata: expect.objectContaining({ httpStatusCode: 400 }) };
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes!).toString('utf8');
const suffix = () => Math.random().toString(36).slice(2, 10);

let server: LocalKms;
let kms: KMSClient;

beforeAll(async () => {
  server = await startLocalKms({ port: 0 });
  kms = clientFor(server.url);
});

afterAll(async () => {
  kms.destroy();
  await server.stop();
});

async function newKey(description = 'test key'): Promise<{ keyId: string; arn: string }> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: description }));
  return { keyId: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! };
}

async function encrypt(keyId: string, plaintext: string, context?: Record<string, string>) {
  const out = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plaintext), EncryptionContext: context }));
  return out.CiphertextBlob!;
}

describe('local KMS keys and aliases', () => {
  it('creates an enabled symmetric key that is found by id, ARN, alias and alias ARN', async () => {
    const { keyId, arn } = await newKey('customer data');
    expect(arn).toBe(`arn:aws:kms:eu-central-1:000000000000:key/${keyId}`);
    const alias = `alias/test-${suffix()}`;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));

    const aliasArn = `arn:aws:kms:eu-central-1:000000000000:${alias}`;
    for (const reference of [keyId, arn, alias, aliasArn]) {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: reference }));
      expect(KeyMetadata).toMatchObject({ KeyId: keyId, Arn: arn, KeyState: 'Enabled', Enabled: true, Description: 'customer data', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' });
      expect(KeyMetadata!.CreationDate).toBeInstanceOf(Date);
    }
  });

  it('answers NotFoundException for an unknown key id, ARN or alias', async () => {
    const unknownId = '11111111-2222-3333-4444-555555555555';
    for (const reference of [unknownId, `arn:aws:kms:eu-central-1:000000000000:key/${unknownId}`, `alias/missing-${suffix()}`]) {
      await expect(kms.send(new DescribeKeyCommand({ KeyId: reference }))).rejects.toBeInstanceOf(NotFoundException);
      await expect(encrypt(reference, 'x')).rejects.toBeInstanceOf(NotFoundException);
    }
  });

  it('refuses a second alias of the same name and lists aliases with their target', async () => {
    const first = await newKey();
    const second = await newKey();
    const alias = `alias/dup-${suffix()}`;
    await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: first.arn }));
    await expect(kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: second.keyId }))).rejects.toBeInstanceOf(AlreadyExistsException);
    await expect(kms.send(new CreateAliasCommand({ AliasName: 'no-prefix', TargetKeyId: first.keyId }))).rejects.toMatchObject(validationError);

    const all = await kms.send(new ListAliasesCommand({}));
    expect(all.Aliases).toContainEqual(expect.objectContaining({ AliasName: alias, TargetKeyId: first.keyId, AliasArn: `arn:aws:kms:eu-central-1:000000000000:${alias}` }));
    const ofSecond = await kms.send(new ListAliasesCommand({ KeyId: second.keyId }));
    expect(ofSecond.Aliases).toEqual([]);
  });

  it('turns key rotation on and reports it', async () => {
    const { keyId, arn } = await newKey();
    expect(await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }))).toMatchObject({ KeyRotationEnabled: false });
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    expect(status).toMatchObject({ KeyRotationEnabled: true, KeyId: arn, RotationPeriodInDays: 365 });
  });
});

describe('local KMS encryption', () => {
  it('decrypts without a KeyId because the ciphertext names its key', async () => {
    const { arn } = await newKey();
    const blob = await encrypt(arn, 'secret', { tenant: 'acme', reference: 'r1' });
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { reference: 'r1', tenant: 'acme' } }));
    expect(text(out.Plaintext)).toBe('secret');
    expect(out.KeyId).toBe(arn);
  });

  it('refuses to decrypt with a missing or different encryption context', async () => {
    const { keyId } = await newKey();
    const blob = await encrypt(keyId, 'secret', { tenant: 'acme' });
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: blob }))).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { tenant: 'other' } }))).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { tenant: 'acme', extra: 'x' } }))).rejects.toBeInstanceOf(InvalidCiphertextException);
    const unbound = await encrypt(keyId, 'secret');
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: unbound, EncryptionContext: { tenant: 'acme' } }))).rejects.toBeInstanceOf(InvalidCiphertextException);
  });

  it('detects a tampered ciphertext, wherever the change is', async () => {
    const { keyId } = await newKey();
    const blob = Buffer.from(await encrypt(keyId, 'secret'));
    for (const index of [0, 5, blob.length - 20, blob.length - 1]) {
      const tampered = Buffer.from(blob);
      tampered[index] ^= 0x01;
      await expect(kms.send(new DecryptCommand({ CiphertextBlob: tampered }))).rejects.toBeInstanceOf(InvalidCiphertextException);
    }
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: blob.subarray(0, 30) }))).rejects.toBeInstanceOf(InvalidCiphertextException);
  });

  it('refuses a KeyId that is not the key of the ciphertext', async () => {
    const owner = await newKey();
    const stranger = await newKey();
    const blob = await encrypt(owner.keyId, 'secret');
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: stranger.keyId }))).rejects.toBeInstanceOf(IncorrectKeyException);
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: owner.arn }));
    expect(text(out.Plaintext)).toBe('secret');
  });

  it('generates data keys by key spec or byte count whose ciphertext decrypts to the same key', async () => {
    const { keyId, arn } = await newKey();
    const context = { tenant: 'acme' };
    const cases = [{ KeySpec: 'AES_256' as const, bytes: 32 }, { KeySpec: 'AES_128' as const, bytes: 16 }, { NumberOfBytes: 64, bytes: 64 }];
    for (const { bytes, ...spec } of cases) {
      const generated = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, EncryptionContext: context, ...spec }));
      expect(generated.Plaintext).toHaveLength(bytes);
      expect(generated.KeyId).toBe(arn);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, EncryptionContext: context }));
      expect(Buffer.from(decrypted.Plaintext!).equals(Buffer.from(generated.Plaintext!))).toBe(true);
    }
    await expect(kms.send(new GenerateDataKeyCommand({ KeyId: keyId }))).rejects.toMatchObject(validationError);
    await expect(kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', NumberOfBytes: 32 }))).rejects.toMatchObject(validationError);
  });

  it('generates a data key without plaintext that only Decrypt reveals', async () => {
    const { keyId } = await newKey();
    const generated = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { tenant: 'acme' } }));
    expect(generated).not.toHaveProperty('Plaintext');
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, EncryptionContext: { tenant: 'acme' } }));
    expect(decrypted.Plaintext).toHaveLength(32);
  });

  it('re-encrypts under another key and context', async () => {
    const source = await newKey();
    const destination = await newKey();
    const blob = await encrypt(source.keyId, 'moving', { v: '1' });
    const moved = await kms.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceEncryptionContext: { v: '1' }, DestinationKeyId: destination.keyId, DestinationEncryptionContext: { v: '2' } }));
    expect(moved).toMatchObject({ SourceKeyId: source.arn, KeyId: destination.arn });
    const out = await kms.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { v: '2' } }));
    expect(out.KeyId).toBe(destination.arn);
    expect(text(out.Plaintext)).toBe('moving');
  });
});

describe('local KMS key deletion', () => {
  it('puts a key in PendingDeletion, where it can be described but not used', async () => {
    const { keyId, arn } = await newKey();
    const blob = await encrypt(keyId, 'secret');
    await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 3 }))).rejects.toMatchObject(validationError);
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyId: arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    const sevenDays = Date.now() + 7 * 24 * 3600 * 1000;
    expect(Math.abs(scheduled.DeletionDate!.getTime() - sevenDays)).toBeLessThan(5000);

    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false });
    await expect(encrypt(keyId, 'more')).rejects.toBeInstanceOf(KMSInvalidStateException);
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: blob }))).rejects.toBeInstanceOf(KMSInvalidStateException);
    await expect(kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }))).rejects.toBeInstanceOf(KMSInvalidStateException);
    await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId }))).rejects.toBeInstanceOf(KMSInvalidStateException);
  });

  it('brings a key back Disabled when its deletion is cancelled', async () => {
    const { keyId } = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId }));
    await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState).toBe('Disabled');
    await expect(encrypt(keyId, 'x')).rejects.toBeInstanceOf(DisabledException);
  });
});

describe('local KMS wire protocol', () => {
  const post = (target: string, body: unknown) =>
    fetch(server.url, { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target }, body: JSON.stringify(body) });

  it('reports errors as HTTP 400 with __type and message, like KMS', async () => {
    const response = await post('TrentService.Decrypt', { CiphertextBlob: Buffer.from('not a ciphertext at all, but long enough').toString('base64') });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const body = await response.json();
    expect(body).toEqual({ __type: 'InvalidCiphertextException', message: expect.any(String) });
  });

  it('answers UnknownOperationException for an operation it does not have', async () => {
    const response = await post('TrentService.Sign', { KeyId: 'x' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });
});

describe('local KMS persistence', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mydata-kms-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('decrypts after a restart with the same data directory, and keeps the file private', async () => {
    const first = await startLocalKms({ dataDir });
    const before = clientFor(first.url);
    const { KeyMetadata } = await before.send(new CreateKeyCommand({}));
    const alias = `alias/persisted-${suffix()}`;
    await before.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: KeyMetadata!.KeyId }));
    const blob = (await before.send(new EncryptCommand({ KeyId: alias, Plaintext: Buffer.from('durable'), EncryptionContext: { t: '1' } }))).CiphertextBlob!;
    before.destroy();
    await first.stop();

    const file = join(dataDir, 'kms', 'keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('durable');

    const second = await startLocalKms({ dataDir });
    const after = clientFor(second.url);
    try {
      const out = await after.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { t: '1' } }));
      expect(text(out.Plaintext)).toBe('durable');
      expect((await after.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata!.KeyId).toBe(KeyMetadata!.KeyId);
    } finally {
      after.destroy();
      await second.stop();
    }
  });

  it('forgets its keys on restart without a data directory', async () => {
    const first = await startLocalKms({});
    const before = clientFor(first.url);
    const { KeyMetadata } = await before.send(new CreateKeyCommand({}));
    const blob = (await before.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('x') }))).CiphertextBlob!;
    before.destroy();
    await first.stop();

    const second = await startLocalKms({});
    const after = clientFor(second.url);
    try {
      await expect(after.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId }))).rejects.toBeInstanceOf(NotFoundException);
      await expect(after.send(new DecryptCommand({ CiphertextBlob: blob }))).rejects.toBeInstanceOf(InvalidCiphertextException);
    } finally {
      after.destroy();
      await second.stop();
    }
  });
});
