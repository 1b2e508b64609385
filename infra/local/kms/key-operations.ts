import { KmsError, validation } from './errors.js';
import { optionalInteger, optionalString, requiredString, type Input } from './input.js';
import { ACCOUNT_ID, keyStateOf, nowSeconds, type KeyRecord, type KeyStore } from './key-store.js';

const DAY_SECONDS = 24 * 3600;
const SYMMETRIC = 'SYMMETRIC_DEFAULT';

function keyMetadata(store: KeyStore, key: KeyRecord) {
  return {
    AWSAccountId: ACCOUNT_ID,
    KeyId: key.keyId,
    Arn: store.keyArn(key.keyId),
    CreationDate: key.createdAt,
    Enabled: keyStateOf(key) === 'Enabled',
    Description: key.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: keyStateOf(key),
    ...(key.deletionDate !== undefined
      ? { DeletionDate: key.deletionDate, PendingDeletionWindowInDays: key.pendingWindowInDays }
      : {}),
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: SYMMETRIC,
    KeySpec: SYMMETRIC,
    EncryptionAlgorithms: [SYMMETRIC],
    MultiRegion: false,
  };
}

/** Only what the platform uses exists locally: symmetric encrypt/decrypt keys with AWS-generated material. */
function createKey(store: KeyStore, input: Input) {
  const spec = optionalString(input, 'KeySpec') ?? optionalString(input, 'CustomerMasterKeySpec') ?? SYMMETRIC;
  const usage = optionalString(input, 'KeyUsage') ?? 'ENCRYPT_DECRYPT';
  const origin = optionalString(input, 'Origin') ?? 'AWS_KMS';
  if (spec !== SYMMETRIC || usage !== 'ENCRYPT_DECRYPT' || origin !== 'AWS_KMS') {
    throw new KmsError('UnsupportedOperationException', `The local KMS supports only ${SYMMETRIC} ENCRYPT_DECRYPT keys`);
  }
  const description = optionalString(input, 'Description') ?? '';
  return { KeyMetadata: keyMetadata(store, store.createKey(description)) };
}

function describeKey(store: KeyStore, input: Input) {
  return { KeyMetadata: keyMetadata(store, store.resolve(requiredString(input, 'KeyId'))) };
}

const aliasPattern = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;

function createAlias(store: KeyStore, input: Input) {
  const aliasName = requiredString(input, 'AliasName');
  if (!aliasPattern.test(aliasName) || aliasName.startsWith('alias/aws/')) {
    throw validation(`Alias must start with the prefix "alias/" and may not begin with "alias/aws/": ${aliasName}`);
  }
  const targetKeyId = requiredString(input, 'TargetKeyId');
  if (targetKeyId.includes('alias/')) throw validation('TargetKeyId must be a key id or key ARN');
  const key = notPendingDeletion(store, store.resolve(targetKeyId));
  store.putAlias(aliasName, key.keyId);
  return {};
}

function listAliases(store: KeyStore, input: Input) {
  const filter = optionalString(input, 'KeyId');
  const limit = optionalInteger(input, 'Limit', 1, 100) ?? 50;
  const start = Number(optionalString(input, 'Marker') ?? '0');
  if (!Number.isInteger(start) || start < 0) throw new KmsError('InvalidMarkerException', 'Invalid marker');
  const targetId = filter === undefined ? undefined : store.resolve(filter).keyId;
  const all = store.listAliases().filter((alias) => targetId === undefined || alias.targetKeyId === targetId);
  const page = all.slice(start, start + limit);
  const truncated = start + limit < all.length;
  return {
    Aliases: page.map((alias) => ({
      AliasName: alias.aliasName,
      AliasArn: store.aliasArn(alias.aliasName),
      TargetKeyId: alias.targetKeyId,
      CreationDate: alias.createdAt,
      LastUpdatedDate: alias.updatedAt,
    })),
    Truncated: truncated,
    ...(truncated ? { NextMarker: String(start + limit) } : {}),
  };
}

/** Key-management operations refuse a key that is being deleted (KMS's key-state table). */
function notPendingDeletion(store: KeyStore, key: KeyRecord): KeyRecord {
  if (keyStateOf(key) === 'PendingDeletion') {
    throw new KmsError('KMSInvalidStateException', `${store.keyArn(key.keyId)} is pending deletion.`);
  }
  return key;
}

function enableKeyRotation(store: KeyStore, input: Input) {
  const key = notPendingDeletion(store, store.resolve(requiredString(input, 'KeyId')));
  key.rotationPeriodInDays = optionalInteger(input, 'RotationPeriodInDays', 90, 2560) ?? 365;
  store.persist();
  return {};
}

function disableKeyRotation(store: KeyStore, input: Input) {
  const key = notPendingDeletion(store, store.resolve(requiredString(input, 'KeyId')));
  key.rotationPeriodInDays = undefined;
  store.persist();
  return {};
}

function getKeyRotationStatus(store: KeyStore, input: Input) {
  const key = store.resolve(requiredString(input, 'KeyId'));
  const enabled = key.rotationPeriodInDays !== undefined;
  return {
    KeyId: store.keyArn(key.keyId),
    KeyRotationEnabled: enabled,
    ...(enabled
      ? {
          RotationPeriodInDays: key.rotationPeriodInDays,
          NextRotationDate: key.createdAt + key.rotationPeriodInDays! * DAY_SECONDS,
        }
      : {}),
  };
}

function scheduleKeyDeletion(store: KeyStore, input: Input) {
  const key = notPendingDeletion(store, store.resolve(requiredString(input, 'KeyId')));
  const days = optionalInteger(input, 'PendingWindowInDays', 7, 30) ?? 30;
  key.deletionDate = nowSeconds() + days * DAY_SECONDS;
  key.pendingWindowInDays = days;
  store.persist();
  return {
    KeyId: store.keyArn(key.keyId),
    DeletionDate: key.deletionDate,
    KeyState: 'PendingDeletion',
    PendingWindowInDays: days,
  };
}

/** As in KMS, a key rescued from deletion comes back Disabled. */
function cancelKeyDeletion(store: KeyStore, input: Input) {
  const key = store.resolve(requiredString(input, 'KeyId'));
  if (keyStateOf(key) !== 'PendingDeletion') {
    throw new KmsError('KMSInvalidStateException', `${store.keyArn(key.keyId)} is not pending deletion.`);
  }
  key.deletionDate = undefined;
  key.pendingWindowInDays = undefined;
  key.enabled = false;
  store.persist();
  return { KeyId: store.keyArn(key.keyId) };
}

function setEnabled(enabled: boolean) {
  return (store: KeyStore, input: Input) => {
    const key = notPendingDeletion(store, store.resolve(requiredString(input, 'KeyId')));
    key.enabled = enabled;
    store.persist();
    return {};
  };
}

export const keyOperations = {
  CreateKey: createKey,
  DescribeKey: describeKey,
  CreateAlias: createAlias,
  ListAliases: listAliases,
  EnableKeyRotation: enableKeyRotation,
  DisableKeyRotation: disableKeyRotation,
  GetKeyRotationStatus: getKeyRotationStatus,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  CancelKeyDeletion: cancelKeyDeletion,
  EnableKey: setEnabled(true),
  DisableKey: setEnabled(false),
};
