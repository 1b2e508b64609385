import { DomainError, type ErrorKind } from './errors.js';

const statusByKind: Record<ErrorKind, number> = {
  Invalid: 400,
  Unauthenticated: 401,
  Forbidden: 403,
  NotFound: 404,
  NotAcceptable: 406,
  Conflict: 409,
  Gone: 410,
  PreconditionFailed: 412,
  TooLarge: 413,
  Locked: 423,
  TooManyRequests: 429,
};

export interface ErrorBody {
  message: string;
  traceId: string;
  code: string;
  details?: Record<string, unknown>;
}

export interface MappedError {
  statusCode: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/** 4xx say why; anything unexpected becomes an opaque 500 (middy's expose rule). */
export function mapError(error: unknown, traceId: string): MappedError {
  if (error instanceof DomainError) {
    const body: ErrorBody = { message: error.message, traceId, code: error.code };
    if (error.details) body.details = error.details;
    const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
    return { statusCode: statusByKind[error.kind], body, headers };
  }
  return {
    statusCode: 500,
    body: { message: 'Internal server error', traceId, code: 'InternalError' },
    headers: {},
  };
}
