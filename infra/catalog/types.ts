/**
 * The one description of the platform's surface: HTTP routes with their scopes, and event rules.
 * The CDK stack (infra/aws) and the local runtime (infra/local) both read it, so they cannot drift.
 */
import type { EventPattern } from '../../shared/platform/event-pattern-types.js';
import type { PrincipalKind } from '../../shared/platform/principal.js';
import type { GuestVia } from '../../shared/platform/route-policy.js';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

/** What a function may touch; the CDK stack turns each into a least-privilege grant. */
export type Access =
  | 'table:read'
  | 'table:write'
  | 'keys:read'
  | 'keys:write'
  | 'kms:generate'
  | 'kms:decrypt'
  | 'events:put';

export interface RouteDefinition {
  /** Unique, PascalCase; becomes the function's construct id. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax, e.g. `/profile-consent/v1/{tenant}/consents/{ref}`. */
  readonly path: string;
  /** Entry file relative to the repo root, e.g. `functions/admin/put-consent-class.ts`. Routes may share one. */
  readonly handler: string;
  /** The token needs at least one of these (API Gateway JWT authorizer semantics). Empty: any valid token. */
  readonly scopes: readonly string[];
  /**
   * The caller kinds (JWT `principal`) that may use the route at all; `shared/platform/route-policy.ts`
   * refuses every other kind (403) before the function's own code runs. Required: a route without a
   * declaration does not compile (decision 0010).
   */
  readonly callers: readonly PrincipalKind[];
  /**
   * `platform-pages`: only a guest token of the platform's own pages (no `partner_id`, decision 0501) may use the
   * route; the route policy answers an app's guest token 403 `PlatformPagesOnly` before the function's code runs
   * (decision 0127). For reads that span every partner; absent: any guest token the `callers` admit.
   */
  readonly guestVia?: GuestVia;
  readonly access: readonly Access[];
}

export interface RuleDefinition {
  readonly id: string;
  readonly description: string;
  readonly pattern: EventPattern;
  /** Entry file of the consumer; it receives the EventBridge event envelope. */
  readonly handler: string;
  readonly access: readonly Access[];
}

export interface Catalog {
  readonly routes: readonly RouteDefinition[];
  readonly rules: readonly RuleDefinition[];
}
