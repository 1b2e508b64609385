import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { forbidden, invalid, notFound } from '../platform/errors.js';
import { partnerErrors } from './errors.js';
import { config } from '../platform/config.js';
import { loadAccess, type PartnerView } from './access.js';
import type { CallerRef } from './caller.js';
import { partnerEvent } from './events.js';
import { benutzernameClaimKey, ENTITY, zugangKey } from './keys.js';
import { ConditionFailed, type TransactItem, transact } from '../platform/table/index.js';
import { getZugangItem } from './store.js';

/** Zugang (user access) of a person: the guide's three use cases. */
export type ZugangStatus =
  | 'KEIN_ZUGANG'
  | 'ZUGANG_UNBESTAETIGT'
  | 'ZUGANG_REGISTRIERT'
  | 'ZUGANG_REGISTRIERT_KEIN_ZUGANG'
  | 'BENUTZERNAME_AENDERUNG_UNBESTAETIGT';

export interface Zugang {
  partnerId: string;
  status: ZugangStatus;
  benutzername?: string;
  identityProviderBenutzername?: string;
  identityProviderConfigURL?: string;
}

export interface ZugangInput {
  benutzername?: string;
  identityProviderBenutzername?: string;
  identityProviderConfigURL?: string;
}

/** Where replies to an activation mail go when the creating partner has no address (guide). */
export const NOREPLY_ADDRESS = 'noreply@europace2.de';

const table = () => config().tableName;

/** How long the token of an activation mail stays valid. */
export const ACTIVATION_VALIDITY_DAYS = 7;
const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/**
 * The status as the spec defines it for the partner's current state: a registered Zugang of a locked
 * partner (its own lock or an ancestor's) is `ZUGANG_REGISTRIERT_KEIN_ZUGANG` ("assigned and verified
 * but locked") for as long as the lock lasts; the stored status is not touched, so unlocking restores it.
 */
export function effectiveStatus(stored: ZugangStatus, gesperrt: boolean): ZugangStatus {
  return gesperrt && stored === 'ZUGANG_REGISTRIERT' ? 'ZUGANG_REGISTRIERT_KEIN_ZUGANG' : stored;
}

/**
 * `identityProviderConfigURL` is the partner's own identity provider "used when the user authenticates"
 * (spec): an OpenID Connect discovery document, `https://…/.well-known/openid-configuration`, as every
 * example of the spec shows. It belongs to use cases 2 and 3 only; use case 1 logs in at Europace.
 */
export function isIdentityProviderConfigUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.pathname.endsWith('/.well-known/openid-configuration') && !url.username && !url.password;
  } catch {
    return false;
  }
}

function zugangOf(item: Record<string, unknown>, gesperrt = false): Zugang {
  const z: Zugang = { partnerId: item.partnerId as string, status: effectiveStatus(item.status as ZugangStatus, gesperrt) };
  for (const field of ['benutzername', 'identityProviderBenutzername', 'identityProviderConfigURL'] as const) {
    if (typeof item[field] === 'string') z[field] = item[field] as string;
  }
  return z;
}

const visible = async (caller: CallerRef, partnerId: string) =>
  (await loadAccess({ tenant: caller.tenant, callerId: caller.partnerId, targetIds: [partnerId] })).visible(partnerId);

export async function getZugang(caller: CallerRef, partnerId: string): Promise<Zugang> {
  const target = await visible(caller, partnerId);
  const item = await getZugangItem(caller.tenant, partnerId);
  return item ? zugangOf(item, target.gesperrt) : { partnerId, status: 'KEIN_ZUGANG' };
}

/**
 * The guide's reply address rule: the creating partner's e-mail, else its user name, else noreply.
 */
export function replyAddress(callerEmail: string | undefined, callerBenutzername: string | undefined): string {
  return callerEmail || callerBenutzername || NOREPLY_ADDRESS;
}

/**
 * Use case 1: benutzername + sendEmail → unconfirmed, activation requested (outbox).
 * Use case 2: benutzername without mail → registered (own identity provider).
 * Use case 3: only identityProviderBenutzername → registered, never a mail.
 * The benutzername is claimed platform-wide in the same transaction (409 when taken).
 */
export async function createZugang(caller: CallerRef, partnerId: string, input: ZugangInput, sendEmail: boolean): Promise<Zugang> {
  const view = await loadAccess({ tenant: caller.tenant, callerId: caller.partnerId, targetIds: [partnerId] });
  const target = view.visible(partnerId);
  if (target.record.typ !== 'PERSON') {
    throw partnerErrors.zugangWrongPartnerType();
  }
  if (!input.benutzername && !input.identityProviderBenutzername) {
    throw invalid('Either benutzername or identityProviderBenutzername is required', 'ZugangNameMissing');
  }
  const activation = !!input.benutzername && sendEmail;
  if (input.identityProviderConfigURL !== undefined) {
    if (!isIdentityProviderConfigUrl(input.identityProviderConfigURL)) {
      throw invalid('identityProviderConfigURL must be the https URL of an OpenID configuration (…/.well-known/openid-configuration)', 'InvalidIdentityProviderConfigURL');
    }
    if (activation) {
      throw invalid('identityProviderConfigURL is for an own identity provider (sendEmail=false); an activation mail means logging in at Europace', 'IdentityProviderConfigWithActivation');
    }
  }
  const zugang: Zugang = {
    partnerId,
    status: activation ? 'ZUGANG_UNBESTAETIGT' : 'ZUGANG_REGISTRIERT',
    ...(input.benutzername ? { benutzername: input.benutzername } : {}),
    ...(input.identityProviderBenutzername ? { identityProviderBenutzername: input.identityProviderBenutzername } : {}),
    ...(input.identityProviderConfigURL ? { identityProviderConfigURL: input.identityProviderConfigURL } : {}),
  };
  const now = new Date().toISOString();
  // The activation mail's token: only its hash is stored; the mail gets it through the outbox event.
  const activationToken = activation ? randomBytes(32).toString('base64url') : undefined;
  const activationExpiresAt = new Date(Date.now() + ACTIVATION_VALIDITY_DAYS * 86_400_000).toISOString();
  const pending = activationToken ? { activationTokenHash: hashOf(activationToken).toString('hex'), activationExpiresAt } : {};
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table(),
        Item: { ...zugangKey(caller.tenant, partnerId), entityType: ENTITY.zugang, tenant: caller.tenant, ...zugang, ...pending, createdBy: caller.partnerId, createdAt: now, updatedAt: now },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    partnerEvent('ZugangChanged', { tenant: caller.tenant, partnerId, status: zugang.status, changedBy: caller.partnerId }),
  ];
  if (input.benutzername) {
    items.push({
      Put: {
        TableName: table(),
        Item: { ...benutzernameClaimKey(input.benutzername), entityType: ENTITY.benutzernameClaim, tenant: caller.tenant, partnerId, claimedAt: now },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
  }
  if (activation && input.benutzername && activationToken) {
    const callerZugang = await getZugangItem(caller.tenant, caller.partnerId);
    const replyTo = replyAddress(view.caller.record.attributes.email, callerZugang?.benutzername as string | undefined);
    items.push(
      partnerEvent('ZugangActivationRequested', {
        tenant: caller.tenant,
        partnerId,
        benutzername: input.benutzername,
        replyTo,
        requestedBy: caller.partnerId,
        activationToken,
        activationExpiresAt,
      }),
    );
  }
  try {
    await transact(items);
  } catch (error) {
    if (!(error instanceof ConditionFailed)) throw error;
    if (error.failedAt(0)) throw partnerErrors.zugangAlreadyExists();
    if (error.failedAt(2)) throw partnerErrors.benutzernameTaken();
    throw partnerErrors.zugangBusy();
  }
  return { ...zugang, status: effectiveStatus(zugang.status, target.gesperrt) };
}

/**
 * The activation step of use case 1: the token the activation mail carries (from the
 * `ZugangActivationRequested` event) makes an unconfirmed Zugang `ZUGANG_REGISTRIERT`. The token is
 * the proof; the caller must still see the partner (the person itself at its first login, or a
 * partner managing it). One use only, valid for ACTIVATION_VALIDITY_DAYS; a wrong, used or expired
 * token is a 403 and changes nothing.
 */
export async function activateZugang(caller: CallerRef, partnerId: string, token: string): Promise<Zugang> {
  const target: PartnerView = await visible(caller, partnerId);
  const item = await getZugangItem(caller.tenant, partnerId);
  if (!item) throw notFound(`Partner ${partnerId} has no Zugang`, 'ZugangNotFound');
  if (item.status !== 'ZUGANG_UNBESTAETIGT') {
    throw partnerErrors.zugangNotUnconfirmed(String(item.status));
  }
  const stored = typeof item.activationTokenHash === 'string' ? Buffer.from(item.activationTokenHash, 'hex') : Buffer.alloc(0);
  const given = hashOf(token);
  const valid = stored.length === given.length && timingSafeEqual(stored, given);
  const expired = typeof item.activationExpiresAt !== 'string' || item.activationExpiresAt < new Date().toISOString();
  if (!valid || expired) throw forbidden('The activation token is not valid for this Zugang (wrong, used or expired)', 'ActivationTokenInvalid');
  try {
    await transact([
      {
        Update: {
          TableName: table(),
          Key: { ...zugangKey(caller.tenant, partnerId) },
          UpdateExpression: 'SET #status = :registered, activatedAt = :now, updatedAt = :now REMOVE activationTokenHash, activationExpiresAt',
          ConditionExpression: '#status = :unconfirmed AND activationTokenHash = :hash',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':registered': 'ZUGANG_REGISTRIERT', ':unconfirmed': 'ZUGANG_UNBESTAETIGT', ':hash': item.activationTokenHash, ':now': new Date().toISOString() },
        },
      },
      partnerEvent('ZugangChanged', { tenant: caller.tenant, partnerId, status: 'ZUGANG_REGISTRIERT', changedBy: caller.partnerId }),
    ]);
  } catch (error) {
    if (error instanceof ConditionFailed) throw forbidden('The activation token was used meanwhile', 'ActivationTokenInvalid');
    throw error;
  }
  return zugangOf({ ...item, status: 'ZUGANG_REGISTRIERT' }, target.gesperrt);
}

/** Only the identity-provider user name can change; benutzername is fixed once set. */
export async function patchZugang(caller: CallerRef, partnerId: string, input: ZugangInput): Promise<Zugang> {
  const target = await visible(caller, partnerId);
  const item = await getZugangItem(caller.tenant, partnerId);
  if (!item) throw notFound(`Partner ${partnerId} has no Zugang`, 'ZugangNotFound');
  const current = zugangOf(item, target.gesperrt);
  if (input.benutzername !== undefined && input.benutzername.toLowerCase() !== (current.benutzername ?? '').toLowerCase()) {
    throw invalid('benutzername cannot be changed', 'BenutzernameUnchangeable');
  }
  if (input.identityProviderBenutzername === undefined) return current;
  const next: Zugang = { ...current };
  if (input.identityProviderBenutzername === '') delete next.identityProviderBenutzername;
  else next.identityProviderBenutzername = input.identityProviderBenutzername;
  if (!next.benutzername && !next.identityProviderBenutzername) {
    throw invalid('A Zugang without benutzername needs an identityProviderBenutzername', 'ZugangNameMissing');
  }
  if (next.identityProviderBenutzername === current.identityProviderBenutzername) return current;
  const remove = next.identityProviderBenutzername === undefined;
  await transact([
    {
      Update: {
        TableName: table(),
        Key: { ...zugangKey(caller.tenant, partnerId) },
        UpdateExpression: remove ? 'SET updatedAt = :u REMOVE identityProviderBenutzername' : 'SET identityProviderBenutzername = :i, updatedAt = :u',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':u': new Date().toISOString(), ...(remove ? {} : { ':i': next.identityProviderBenutzername }) },
      },
    },
    partnerEvent('ZugangChanged', { tenant: caller.tenant, partnerId, status: next.status, changedBy: caller.partnerId }),
  ]);
  return next;
}
