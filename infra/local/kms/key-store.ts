import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KmsError } from './errors.js';

export const ACCOUNT_ID = '000000000000';

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion';

export interface KeyRecord {
  readonly keyId: string;
  /** AES-256 key material, base64; never leaves this process except to keys.json (mode 0600). */
  readonly material: string;
  readonly description: string;
  /** Epoch seconds, as AWS JSON 1.1 timestamps are. */
  readonly createdAt: number;
  enabled: boolean;
  rotationPeriodInDays?: number;
  deletionDate?: number;
  pendingWindowInDays?: number;
}

export interface AliasRecord {
  readonly aliasName: string;
  targetKeyId: string;
  readonly createdAt: number;
  updatedAt: number;
}

interface StoreFile {
  readonly version: 1;
  readonly keys: KeyRecord[];
  readonly aliases: AliasRecord[];
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A key whose waiting period is over is gone for good, as after KMS deletes it. */
const isPastDeletion = (key: KeyRecord) => key.deletionDate !== undefined && key.deletionDate <= nowSeconds();

export function keyStateOf(key: KeyRecord): KeyState {
  if (key.deletionDate !== undefined) return 'PendingDeletion';
  return key.enabled ? 'Enabled' : 'Disabled';
}

/**
 * Keys and aliases of one local KMS. With a data directory every change is written through
 * (atomically, temp file + rename) so a restarted runtime can still decrypt what it wrapped before.
 */
export class KeyStore {
  private readonly keys = new Map<string, KeyRecord>();
  private readonly aliases = new Map<string, AliasRecord>();
  private readonly file?: string;

  constructor(
    readonly region: string,
    dataDir?: string,
  ) {
    if (dataDir) {
      const dir = join(dataDir, 'kms');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.file = join(dir, 'keys.json');
      this.load();
    }
  }

  keyArn(keyId: string): string {
    return `arn:aws:kms:${this.region}:${ACCOUNT_ID}:key/${keyId}`;
  }

  aliasArn(aliasName: string): string {
    return `arn:aws:kms:${this.region}:${ACCOUNT_ID}:${aliasName}`;
  }

  createKey(description: string): KeyRecord {
    const key: KeyRecord = {
      keyId: randomUUID(),
      material: randomBytes(32).toString('base64'),
      description,
      createdAt: nowSeconds(),
      enabled: true,
    };
    this.keys.set(key.keyId, key);
    this.save();
    return key;
  }

  /** Key id, key ARN, `alias/<name>` or alias ARN, like every KeyId parameter of KMS. */
  resolve(keyIdOrAlias: string): KeyRecord {
    const prefix = `arn:aws:kms:${this.region}:${ACCOUNT_ID}:`;
    const local = keyIdOrAlias.startsWith(prefix) ? keyIdOrAlias.slice(prefix.length) : keyIdOrAlias;
    if (local.startsWith('alias/')) {
      const alias = this.aliases.get(local);
      if (!alias) throw new KmsError('NotFoundException', `Alias ${this.aliasArn(local)} is not found.`);
      return this.byId(alias.targetKeyId);
    }
    if (local.startsWith('arn:')) throw new KmsError('NotFoundException', `Invalid arn ${keyIdOrAlias}`);
    return this.byId(local.startsWith('key/') ? local.slice('key/'.length) : local);
  }

  byId(keyId: string): KeyRecord {
    const key = this.keys.get(keyId);
    if (!key) throw new KmsError('NotFoundException', `Key '${this.keyArn(keyId)}' does not exist`);
    if (isPastDeletion(key)) {
      this.destroy(key.keyId);
      throw new KmsError('NotFoundException', `Key '${this.keyArn(keyId)}' does not exist`);
    }
    return key;
  }

  /** Decoded material; callers zero it when done so it does not linger in the heap. */
  materialOf(key: KeyRecord): Buffer {
    return Buffer.from(key.material, 'base64');
  }

  /** Cryptographic operations need an Enabled key, as in KMS. */
  requireUsable(key: KeyRecord): KeyRecord {
    const state = keyStateOf(key);
    if (state === 'PendingDeletion') {
      throw new KmsError('KMSInvalidStateException', `${this.keyArn(key.keyId)} is pending deletion.`);
    }
    if (state === 'Disabled') throw new KmsError('DisabledException', `${this.keyArn(key.keyId)} is disabled.`);
    return key;
  }

  putAlias(aliasName: string, targetKeyId: string): void {
    if (this.aliases.has(aliasName)) {
      throw new KmsError('AlreadyExistsException', `An alias with the name ${this.aliasArn(aliasName)} already exists`);
    }
    const now = nowSeconds();
    this.aliases.set(aliasName, { aliasName, targetKeyId, createdAt: now, updatedAt: now });
    this.save();
  }

  listAliases(): AliasRecord[] {
    for (const key of [...this.keys.values()]) if (isPastDeletion(key)) this.destroy(key.keyId);
    return [...this.aliases.values()].sort((a, b) => a.aliasName.localeCompare(b.aliasName));
  }

  /** Operations change a resolved record in place, then persist the store. */
  persist(): void {
    this.save();
  }

  private destroy(keyId: string): void {
    this.keys.delete(keyId);
    for (const [name, alias] of this.aliases) if (alias.targetKeyId === keyId) this.aliases.delete(name);
    this.save();
  }

  private load(): void {
    if (!this.file || !existsSync(this.file)) return;
    const stored = JSON.parse(readFileSync(this.file, 'utf8')) as StoreFile;
    for (const key of stored.keys) this.keys.set(key.keyId, key);
    for (const alias of stored.aliases) this.aliases.set(alias.aliasName, alias);
  }

  private save(): void {
    if (!this.file) return;
    const content: StoreFile = { version: 1, keys: [...this.keys.values()], aliases: [...this.aliases.values()] };
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(content, null, 2), { mode: 0o600 });
    chmodSync(temp, 0o600); // the umask can only narrow `mode`, but an old temp file may be wider
    renameSync(temp, this.file);
  }
}
