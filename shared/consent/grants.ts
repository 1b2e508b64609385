import { randomUUID } from 'node:crypto';
import { type ConsentClass, getConsentClass, loadConsentClasses } from '../admin/consent-classes.js';
import { type Addressed, authorize, type Caller } from './access.js';
import { consentErrors } from './errors.js';
import { consentEvent } from './events.js';
import { type ConsentChange, type HistoryActor, type HistoryEntry, nextEntry } from './history.js';
import { generateReferenceDataKey, newWrappedSchemaKey, openReferenceDataKey } from './key-material.js';
import type { ConsentRow, ReferenceItem, SchemaItem } from './model.js';
import { requireActive, requireUnblocked } from './resolve.js';
import { existingSchemaKeys, loadKeys, loadMetamodel, loadReferencePartition } from './store.js';
import { MAX_TRANSACTION_ITEMS, type TransactItem, transactChunked, untilWon } from '../platform/table/index.js';
import { type ConsentView, consentViews, schemasOf } from './views.js';
import {
  advanceHead,
  advanceHeadStaged,
  aliasRevocationWrites,
  deleteSchemaKey,
  putConsent,
  putHistoryEntry,
  putReferenceDataKey,
  putSchemaKey,
  putStagedChange,
  referenceGuard,
  schemaKeyGuards,
  stageConsent,
} from './writes.js';
import { settleStagedChange } from './settling.js';
import { logger } from '../platform/observability.js';

export type ConsentSelection = { readonly schema: string } | { readonly consentClass: string };

export interface ReferenceTarget extends Addressed {
  /** The leader's consent rows, each with its copy of the schema's metamodel entry. */
  readonly consents: ConsentRow[];
}

export interface ConsentTarget extends ReferenceTarget {
  readonly metamodel: SchemaItem[];
}

/** The addressed reference, its leader and the leader's consents: one Query (one more through an alias). */
export async function loadReferenceTarget(tenant: string, ref: string): Promise<ReferenceTarget | undefined> {
  const first = await loadReferencePartition(tenant, ref);
  if (!first.reference) return undefined;
  if (!first.reference.leader) return { addressed: first.reference, leader: first.reference, consents: first.consents };
  const second = await loadReferencePartition(tenant, first.reference.leader);
  if (!second.reference) return undefined;
  return { addressed: first.reference, leader: second.reference, consents: second.consents };
}

/**
 * As `loadReferenceTarget`, with the metamodel read beside it (two Queries in parallel): a change decides
 * on the authoritative metamodel, not on the copies, and writes the copy it decided on.
 */
export async function loadConsentTarget(tenant: string, ref: string): Promise<ConsentTarget | undefined> {
  const [target, metamodel] = await Promise.all([loadReferenceTarget(tenant, ref), loadMetamodel(tenant)]);
  return target && { ...target, metamodel };
}

/** The schemas a selection names; unknown schema or class: 404. */
export async function selectSchemas(target: ConsentTarget, selection: ConsentSelection): Promise<SchemaItem[]> {
  const applicable = schemasOf(target.leader, target.metamodel);
  if ('schema' in selection) {
    const found = applicable.find((s) => s.schema === selection.schema);
    if (!found) throw consentErrors.schemaNotFound(selection.schema);
    return [found];
  }
  const inClass = applicable.filter((s) => s.consentClass === selection.consentClass);
  if (inClass.length === 0 && !(await getConsentClass(selection.consentClass))) {
    throw consentErrors.classNotFound(selection.consentClass);
  }
  return inClass;
}

export interface ConsentChangeResult {
  readonly leadingConsentReference: string;
  readonly consents: ConsentView[];
  readonly changes: ConsentChange[];
}

/**
 * Grants or revokes the selected consents of a reference (through an alias: of its leader). Granting
 * creates new key material (a new grant blob); revoking clears the grant blob and deletes the key, so
 * data written before can never be read again. A revoke covers the merged whole: the keys the leader's
 * aliases still hold for the selected schemas (data sealed under an alias before the merge) are deleted
 * in the same transaction, and their consent rows revoked with them. One transaction guarded by the
 * history head (no lost update under races), at most one KMS call; a no-op writes nothing and announces
 * nothing.
 */
export async function changeConsents(
  tenant: string,
  ref: string,
  selection: ConsentSelection,
  granted: boolean,
  caller: Caller | 'system',
): Promise<ConsentChangeResult> {
  // Before any read: the caller's kind, tenant and scope (the gap that let outsiders revoke, issue 9).
  if (caller !== 'system') authorize(caller, tenant, { to: 'call' });
  return untilWon(async () => {
    // The class dictionary does not depend on the reference: read beside it (one round trip, not two).
    const [target, classes] = await Promise.all([loadConsentTarget(tenant, ref), caller === 'system' ? undefined : loadConsentClasses()]);
    if (!target) throw consentErrors.referenceNotFound(ref);
    if (caller !== 'system') authorize(caller, tenant, { to: 'manage', target });
    requireActive(target);
    requireUnblocked(target);
    const schemas = await selectSchemas(target, selection);
    if (caller !== 'system' && classes) requireClassFlags(classes, selection, schemas, granted, caller);
    const current = new Map(target.consents.map((c) => [c.schema, c]));
    const changes = schemas
      .filter((s) => (current.get(s.schema)?.granted === true) !== granted)
      .map((s) => ({ schema: s.schema, from: !granted, to: granted }));
    const aliases = target.leader.aliases ?? [];
    const aliasKeys = granted || aliases.length === 0 ? [] : await existingSchemaKeys(tenant, aliases, schemas.map((s) => s.schema));
    const unchanged = changes.length === 0 && aliasKeys.length === 0;
    const updated = unchanged ? target.consents : await commit(target, schemas, changes, granted, actorOf(caller), selection, aliasKeys);
    return { leadingConsentReference: target.leader.ref, consents: consentViews(target.leader, updated, schemas), changes };
  }, () => consentErrors.concurrentChange(ref));
}

/**
 * The consent class flags (issue 10, decision 0205): `editable: false` — guests and anonymous guests cannot
 * change consents of the class (403), only the tenant (acting for the user with `hybris-user`);
 * `enabled: false` — the class is not offered and its consents cannot be granted by anybody (409), while a
 * revoke stays possible (withdrawing consent is never refused for this reason).
 */
export function requireClassFlags(
  classes: ReadonlyMap<string, ConsentClass>,
  selection: ConsentSelection,
  schemas: readonly SchemaItem[],
  granted: boolean,
  caller: Caller,
): void {
  const names = new Set([...schemas.map((s) => s.consentClass), ...('consentClass' in selection ? [selection.consentClass] : [])]);
  for (const name of names) {
    const flags = classes.get(name);
    if (!flags) continue;
    if (!flags.editable && caller.principal.kind !== 'tenant') throw consentErrors.classNotEditable(name);
    if (!flags.enabled && granted) throw consentErrors.classDisabled(name);
  }
}

export const actorOf = (caller: Caller | 'system'): HistoryActor =>
  caller === 'system' ? { kind: 'system', sub: 'consent-service' } : { kind: caller.principal.kind, sub: caller.principal.sub };

async function commit(
  target: ConsentTarget,
  schemas: SchemaItem[],
  changes: ConsentChange[],
  granted: boolean,
  actor: HistoryActor,
  selection: ConsentSelection,
  aliasKeys: ReadonlyArray<{ ref: string; schema: string }> = [],
): Promise<ConsentRow[]> {
  const leader: ReferenceItem = target.leader;
  const at = new Date().toISOString();
  const schemaOf = new Map(schemas.map((s) => [s.schema, s]));
  const entry = historyEntryOf(leader, changes, granted, actor, aliasKeys, at);
  const event = changeEvent(leader.ref, leader.tenant, schemas, changes, granted, selection, aliasKeys, entry);
  // Per schema a consent row and a key (per alias revoked a row and a key); the head, a new data key, guards.
  const fits = 3 + 2 * changes.length + 2 * aliasKeys.length + 1 + 2 <= MAX_TRANSACTION_ITEMS;
  const current = new Map(target.consents.map((c) => [c.schema, c]));
  const tail: TransactItem[] = [];
  const written = await leaderConsentWrites(leader, changes, granted, schemaOf, at, tail, fits ? undefined : { hash: entry.hash, current });
  if (fits) {
    tail.push(...aliasRevocationWrites(leader.tenant, aliasKeys, schemaOf, at));
    const head: TransactItem[] = [advanceHead(leader, entry), putHistoryEntry(leader.tenant, leader.ref, entry), event];
    // Schema keys only while the reference is as read and its data key exists (no orphans after a deletion).
    await transactChunked(head, tail, granted ? schemaKeyGuards(leader) : []);
  } else {
    await commitStaged(leader, entry, changes, granted, schemaOf, aliasKeys, at, event, tail, current);
  }
  const bySchema = new Map(target.consents.map((c) => [c.schema, c]));
  for (const consent of written) bySchema.set(consent.schema, consent);
  return [...bySchema.values()];
}

/**
 * A change too large for one transaction (decision 0207): the rows are staged in chunks (each guarded by
 * the history head it was decided on), the head commits the change in one transaction (history entry,
 * event, and the change's hash in the reference's `unsettled` set: from then on every reader counts the
 * staged values), then the rows are settled, revoked keys destroyed, aliases' keys shredded and the hash
 * forgotten (shared/consent/settling.ts). A failure before the head leaves staged values nobody counts; a
 * failure after it leaves a committed change whose settling the readers do not need: the change is answered
 * as done and the sweeper of staged changes settles it, or rolls back a change that never committed (0209).
 */
async function commitStaged(
  leader: ReferenceItem,
  entry: HistoryEntry,
  changes: ConsentChange[],
  granted: boolean,
  schemaOf: ReadonlyMap<string, SchemaItem>,
  aliasKeys: ReadonlyArray<{ ref: string; schema: string }>,
  at: string,
  event: TransactItem,
  staged: TransactItem[],
  current: ReadonlyMap<string, ConsentRow>,
): Promise<void> {
  const { tenant, ref } = leader;
  const change = { tenant, ref, hash: entry.hash, granted, at, aliasKeys };
  const head = [advanceHeadStaged(leader, entry), putHistoryEntry(tenant, ref, entry), event];
  // The change's record goes with the first chunk: whatever happens next, the sweeper finds it (decision 0209).
  await transactChunked(head, [putStagedChange(change), ...staged], granted ? schemaKeyGuards(leader) : [referenceGuard(leader)]);
  // Committed: every reader counts the change from here on. Settling changes nothing a reader sees, so a
  // failure here is not the caller's: the change is answered as done and the sweeper finishes it.
  const rows = changes.map(({ schema }) => ({ schema, revokedBlob: granted ? undefined : current.get(schema)?.grantBlob }));
  await settleStagedChange(change, rows, schemaOf).catch((error: unknown) => {
    logger.warn('Settling a committed staged consent change failed; the sweeper of staged changes finishes it', error as Error, { tenant, ref, hash: entry.hash });
  });
}

/** The history entry of the change; a revoke that shredded aliases' keys names those aliases. */
function historyEntryOf(
  leader: ReferenceItem,
  changes: ConsentChange[],
  granted: boolean,
  actor: HistoryActor,
  aliasKeys: ReadonlyArray<{ ref: string }>,
  at: string,
) {
  const shreddedAliases = [...new Set(aliasKeys.map((k) => k.ref))];
  return nextEntry({ seq: leader.historySeq, hash: leader.historyHash }, {
    at,
    actor,
    action: granted ? 'granted' : 'revoked',
    changes,
    ...(shreddedAliases.length > 0 ? { references: shreddedAliases } : {}),
  });
}

/**
 * The leader's changed consent rows and their key material, appended to `tail`: a grant writes a new
 * grant blob and schema key (a new data key first, when the reference has none yet); a revoke clears
 * the blob and deletes the key. Returns the rows as written.
 */
async function leaderConsentWrites(
  leader: ReferenceItem,
  changes: ConsentChange[],
  granted: boolean,
  schemaOf: ReadonlyMap<string, SchemaItem>,
  at: string,
  tail: TransactItem[],
  staging?: { readonly hash: string; readonly current: ReadonlyMap<string, ConsentRow> },
): Promise<ConsentRow[]> {
  const { tenant, ref } = leader;
  const written: ConsentRow[] = [];
  // A new data key goes first in the tail: written with (or before) the schema keys it wraps.
  const dataKey = granted ? await referenceDataKey(tenant, ref, at, tail) : undefined;
  for (const { schema } of changes) {
    const grantBlob = granted ? randomUUID() : null;
    const schemaItem = schemaOf.get(schema)!;
    const consent: ConsentRow = {
      tenant, ref, schema, consentClass: schemaItem.consentClass, granted, grantBlob, updatedAt: at,
      schemaTitle: schemaItem.title, schemaDescription: schemaItem.description, schemaActive: schemaItem.active, schemaRevision: schemaItem.revision ?? 0,
    };
    written.push(consent);
    tail.push(staging ? stageConsent(consent, staging.current.get(schema), schemaItem, staging.hash) : putConsent(consent, schemaItem));
    // Staged: a revoke destroys the key only once committed (settling), so a failed revoke loses nothing.
    if (grantBlob && dataKey) tail.push(putSchemaKey(tenant, ref, schema, grantBlob, newWrappedSchemaKey(dataKey, { tenant, ref, schema, grantBlob }), at));
    else if (!staging) tail.push(deleteSchemaKey(tenant, ref, schema));
  }
  return written;
}

/** The outbox record announcing the change (ConsentGranted / ConsentRevoked), in the metamodel's order. */
function changeEvent(
  ref: string,
  tenant: string,
  schemas: SchemaItem[],
  changes: ConsentChange[],
  granted: boolean,
  selection: ConsentSelection,
  aliasKeys: ReadonlyArray<{ schema: string }>,
  entry: { hash: string },
): TransactItem {
  const consentClass = 'consentClass' in selection ? selection.consentClass : undefined;
  const changed = new Set([...changes.map((c) => c.schema), ...aliasKeys.map((k) => k.schema)]);
  const schemaList = schemas.map((s) => s.schema).filter((schema) => changed.has(schema));
  return granted
    ? consentEvent('ConsentGranted', tenant, { consentReference: ref, consentClass, grantedConsents: schemaList, historyHash: entry.hash })
    : consentEvent('ConsentRevoked', tenant, { id: ref, consentReference: ref, consentClass, revokedConsents: schemaList, historyHash: entry.hash });
}

/**
 * The reference's data key in plaintext: cached, decrypted (one KMS call) or created (one KMS call; its
 * conditional put is appended to `writes`, which the caller puts before the schema keys it wraps).
 */
export async function referenceDataKey(tenant: string, ref: string, at: string, writes: TransactItem[]): Promise<Buffer> {
  const { dataKey } = await loadKeys(tenant, ref, []);
  if (dataKey) return openReferenceDataKey(tenant, ref, dataKey.wrapped);
  const created = await generateReferenceDataKey(tenant, ref);
  writes.push(putReferenceDataKey(tenant, ref, created.wrapped, at));
  return created.plaintext;
}
