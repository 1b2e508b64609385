/**
 * Domain errors name what is wrong with the world; they know nothing of HTTP.
 * `http-errors.ts` maps each kind to a status in one place.
 */
export type ErrorKind =
  | 'Invalid' // the request contradicts a rule (400)
  | 'Unauthenticated' // no valid identity (401)
  | 'Forbidden' // identity known, operation not allowed (403)
  | 'NotFound' // does not exist or may not be seen (404)
  | 'NotAcceptable' // operation not possible for this kind of object (406)
  | 'Conflict' // state does not allow it now (409)
  | 'Gone' // existed, can never be read again (410)
  | 'PreconditionFailed' // optimistic concurrency check failed (412)
  | 'TooLarge' // payload over a documented limit (413)
  | 'Locked' // blocked by an owner's decision (423)
  | 'TooManyRequests'; // over a documented rate limit; always says when to try again (429 with Retry-After)

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Stable machine-readable code, e.g. `ConsentReferenceNotFound`. */
    readonly code: string = kind,
    readonly details?: Record<string, unknown>,
    /** A transient failure: how many seconds the caller should wait before trying again (the edge's `Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = code;
  }
}

export const invalid = (message: string, code = 'Invalid', details?: Record<string, unknown>) =>
  new DomainError('Invalid', message, code, details);
export const notFound = (message: string, code = 'NotFound') => new DomainError('NotFound', message, code);
export const forbidden = (message: string, code = 'Forbidden') => new DomainError('Forbidden', message, code);
export const conflict = (message: string, code = 'Conflict', retryAfterSeconds?: number) =>
  new DomainError('Conflict', message, code, undefined, retryAfterSeconds);
export const gone = (message: string, code = 'Gone') => new DomainError('Gone', message, code);
/** Over a documented rate: the caller may try again after `retryAfterSeconds` (429 with `Retry-After`). */
export const tooManyRequests = (message: string, code: string, retryAfterSeconds: number) =>
  new DomainError('TooManyRequests', message, code, undefined, Math.max(1, Math.ceil(retryAfterSeconds)));
