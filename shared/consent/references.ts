import { randomBytes, randomUUID } from 'node:crypto';
import { loadConsentClasses } from '../admin/consent-classes.js';
import { type Caller, actingUser, authorize, hashReferenceToken, namedHybrisUser } from './access.js';
import { consentErrors } from './errors.js';
import { consentEvent } from './events.js';
import { confirmedByConsumer } from '../platform/outbox.js';
import { recoverReferenceToken, referenceTokenFromDataKey, rememberCreation, rememberedCreation } from './idempotency.js';
import { generateReferenceDataKey } from './key-material.js';
import { ENTITY, referenceIndexKeys, referenceKey, userClaimKey } from './keys.js';
import { GENESIS_HASH, type ReferenceItem } from './model.js';
import { requireTenant, resolveReference } from './resolve.js';
import { getReference, getUserClaim, loadMetamodel } from './store.js';
import { ConditionFailed, type TransactItem, transactChunked } from '../platform/table/index.js';
import { config } from '../platform/config.js';
import { type ReferenceView, referenceView } from './views.js';
import { putReferenceDataKey } from './writes.js';

export interface ReferenceRequest {
  /** Classes and schemas to grant; absent: the tenant's default consents. */
  readonly classes?: readonly string[];
  readonly schemas?: readonly string[];
}

export interface RequestedReference {
  readonly id: string;
  /** Only on the answer that created the reference (or its idempotent replay). */
  readonly consentReferenceToken?: string;
  /** false when an existing reference of the signed-in user was returned. */
  readonly created: boolean;
  /** The leader, when the user's reference has since been merged into another. */
  readonly leadingConsentReference?: string;
}

/**
 * `POST /{tenant}/consentReferences`. A signed-in user (guest `sub`, or `hybris-user` of a trusted
 * backend) always gets the same reference: a conditional put of the user→reference claim decides
 * races and retries. Anybody else gets a new one. Creation completes asynchronously: the reference
 * is `pending` until the consumer of `ConsentReferenceRequested` has created its consents and keys.
 */
export async function requestReference(
  tenant: string,
  caller: Caller,
  request: ReferenceRequest,
  idempotencyKey?: string,
): Promise<RequestedReference> {
  authorize(caller, tenant, { to: 'call' });
  // Decision 0205: a tenant naming a user without manage scope is refused, never served an anonymous reference.
  if (caller.principal.kind === 'tenant' && namedHybrisUser(caller) !== undefined && actingUser(caller) === undefined) {
    throw consentErrors.viewScopeCannotActForUser();
  }
  await requireTenant(tenant);
  if (request.classes?.length || request.schemas?.length) await requireKnown(tenant, request);
  const user = actingUser(caller);
  const callerId = `${caller.principal.kind}:${caller.principal.sub}:${user ?? ''}`;
  const fingerprint = JSON.stringify([user ?? null, request.classes ?? null, request.schemas ?? null]);
  if (idempotencyKey) {
    const replay = await replayed(tenant, callerId, idempotencyKey, fingerprint);
    if (replay) return replay;
  }
  if (user) {
    const existing = await getUserClaim(tenant, user);
    if (existing) return existingReference(tenant, existing);
  }
  const ref = randomUUID();
  const now = new Date();
  const writes: TransactItem[] = [];
  let token: string;
  if (idempotencyKey) {
    // A replay must answer the same token without it being stored: it is derived from the reference's
    // own KMS data key, made here (one GenerateDataKey) and stored wrapped; creation then uses that key.
    const dataKey = await generateReferenceDataKey(tenant, ref);
    token = referenceTokenFromDataKey(dataKey.plaintext, tenant, ref);
    dataKey.plaintext.fill(0);
    writes.push(putReferenceDataKey(tenant, ref, dataKey.wrapped, now.toISOString()));
    writes.push(rememberCreation(tenant, callerId, idempotencyKey, { ref, fingerprint }, now));
  } else {
    token = randomBytes(32).toString('base64url');
  }
  writes.push(
    putPendingReference(tenant, ref, user, hashReferenceToken(token), request, now),
    // Confirmed by its consumer once the reference is complete: a creation that dead-lettered is
    // re-published by the outbox sweeper until it completes, so no reference stays pending (decision 0030).
    confirmedByConsumer(consentEvent('ConsentReferenceRequested', tenant, { consentReference: ref, kind: user ? 'user' : 'anonymous' }, now)),
  );
  if (user) writes.push(claimUser(tenant, user, ref));
  try {
    await transactChunked(writes);
  } catch (error) {
    if (!(error instanceof ConditionFailed)) throw error;
    // Lost a race: the same user's or the same key's first request won; answer with its reference.
    const replay = idempotencyKey ? await replayed(tenant, callerId, idempotencyKey, fingerprint) : undefined;
    if (replay) return replay;
    const winner = user ? await getUserClaim(tenant, user) : undefined;
    if (winner) return existingReference(tenant, winner);
    throw error;
  }
  return { id: ref, consentReferenceToken: token, created: true };
}

async function existingReference(tenant: string, ref: string): Promise<RequestedReference> {
  const item = await getReference(tenant, ref);
  return { id: ref, created: false, leadingConsentReference: item?.leader ?? ref };
}

async function replayed(tenant: string, callerId: string, key: string, fingerprint: string): Promise<RequestedReference | undefined> {
  const remembered = await rememberedCreation(tenant, callerId, key);
  if (!remembered) return undefined;
  if (remembered.fingerprint !== fingerprint) throw consentErrors.idempotencyMismatch();
  return { id: remembered.ref, consentReferenceToken: await recoverReferenceToken(tenant, remembered.ref), created: true };
}

/** Every requested schema and class exists; none belongs to a disabled consent class (409, decision 0205). */
async function requireKnown(tenant: string, request: ReferenceRequest): Promise<void> {
  const [metamodel, classes] = await Promise.all([loadMetamodel(tenant), loadConsentClasses()]);
  const active = metamodel.filter((s) => s.active && s.owner === 'user');
  const requireEnabled = (consentClass: string) => {
    if (classes.get(consentClass)?.enabled === false) throw consentErrors.classDisabled(consentClass);
  };
  for (const schema of request.schemas ?? []) {
    const found = active.find((s) => s.schema === schema);
    if (!found) throw consentErrors.schemaNotFound(schema);
    requireEnabled(found.consentClass);
  }
  for (const consentClass of request.classes ?? []) {
    if (!active.some((s) => s.consentClass === consentClass)) throw consentErrors.classNotFound(consentClass);
    requireEnabled(consentClass);
  }
}

function putPendingReference(tenant: string, ref: string, user: string | undefined, tokenHash: string, request: ReferenceRequest, now: Date): TransactItem {
  const at = now.toISOString();
  const requested = request.classes || request.schemas ? { classes: request.classes, schemas: request.schemas } : undefined;
  const item: ReferenceItem = {
    tenant, ref, kind: user ? 'user' : 'anonymous', status: 'pending', blocked: false, user, tokenHash,
    requested, createdAt: at, updatedAt: at, historySeq: 0, historyHash: GENESIS_HASH,
  };
  return {
    Put: {
      TableName: config().tableName,
      Item: { ...referenceKey(tenant, ref), ...referenceIndexKeys(tenant, ref), entityType: ENTITY.reference, ...item },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

function claimUser(tenant: string, user: string, ref: string): TransactItem {
  return {
    Put: {
      TableName: config().tableName,
      Item: { ...userClaimKey(tenant, user), entityType: ENTITY.userClaim, tenant, user, ref },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** `GET /{tenant}/consentReferences/{ref}`: status, leader, aliases, created time (pending included). */
export async function describeReference(tenant: string, ref: string, caller: Caller): Promise<ReferenceView> {
  authorize(caller, tenant, { to: 'call' });
  const target = await resolveReference(tenant, ref);
  authorize(caller, tenant, { to: 'view', target });
  return referenceView(target.addressed, target.leader);
}

/** `GET /{tenant}/users/{user}`: the user's reference, for the tenant or the user themself. */
export async function referenceOfUser(tenant: string, user: string, caller: Caller): Promise<ReferenceView> {
  authorize(caller, tenant, { to: 'call' });
  if (caller.principal.kind !== 'tenant' && actingUser(caller) !== user) throw consentErrors.userNotFound(user);
  const ref = await getUserClaim(tenant, user);
  if (!ref) {
    await requireTenant(tenant);
    throw consentErrors.userNotFound(user);
  }
  const target = await resolveReference(tenant, ref);
  return referenceView(target.addressed, target.leader);
}
