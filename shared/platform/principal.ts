import { DomainError, forbidden } from './errors.js';

export type PrincipalKind = 'guest' | 'anonymous' | 'partner' | 'tenant' | 'system';
const kinds: readonly PrincipalKind[] = ['guest', 'anonymous', 'partner', 'tenant', 'system'];

/** The caller, as the JWT authorizer vouched for it. */
export interface Principal {
  readonly kind: PrincipalKind;
  readonly sub: string;
  readonly tenant?: string;
  readonly partnerId?: string;
  readonly clientId?: string;
  readonly scopes: ReadonlySet<string>;
  readonly givenName?: string;
  readonly familyName?: string;
  /** The token's `iat` in epoch seconds, when it carries one (a guest's token issued after it ended a relation renews it). */
  readonly issuedAt?: number;
}

type Claims = Record<string, string | number | boolean | string[] | undefined>;

const text = (value: Claims[string]): string | undefined =>
  value === undefined || value === '' ? undefined : String(value);

/** API Gateway hands claims over as strings; `scope` is space separated (or `[a b]` for arrays). */
function parseScopes(value: Claims[string]): Set<string> {
  if (Array.isArray(value)) return new Set(value);
  const raw = text(value) ?? '';
  return new Set(raw.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean));
}

export function principalFromClaims(claims: Claims | undefined): Principal {
  if (!claims) throw new DomainError('Unauthenticated', 'Missing authentication', 'Unauthenticated');
  const kind = text(claims.principal) as PrincipalKind | undefined;
  const sub = text(claims.sub);
  if (!kind || !kinds.includes(kind) || !sub) {
    throw new DomainError('Unauthenticated', 'Token lacks a valid principal or subject', 'Unauthenticated');
  }
  const tenant = text(claims.tenant);
  if (kind !== 'system' && !tenant) {
    throw new DomainError('Unauthenticated', 'Token lacks the tenant claim', 'Unauthenticated');
  }
  const iat = Number(text(claims.iat));
  return {
    kind,
    sub,
    tenant,
    partnerId: text(claims.partner_id),
    clientId: text(claims.client_id),
    scopes: parseScopes(claims.scope),
    givenName: text(claims.given_name),
    familyName: text(claims.family_name),
    issuedAt: Number.isFinite(iat) ? iat : undefined,
  };
}

export function requirePrincipal(principal: Principal, ...allowed: PrincipalKind[]): void {
  if (!allowed.includes(principal.kind)) {
    throw forbidden(`This operation needs principal ${allowed.join(' or ')}`, 'PrincipalNotAllowed');
  }
}

export function requireScope(principal: Principal, ...anyOf: string[]): void {
  if (!anyOf.some((scope) => principal.scopes.has(scope))) {
    throw forbidden(`Missing scope: one of ${anyOf.join(', ')}`, 'MissingScope');
  }
}

/** Nothing crosses tenants: a token of tenant A never sees tenant B (answered as not found). */
export function requireSameTenant(principal: Principal, tenant: string): void {
  if (principal.kind === 'system') return;
  if (principal.tenant !== tenant) {
    throw new DomainError('NotFound', `Tenant ${tenant} not found`, 'TenantNotFound');
  }
}
