import type * as z from 'zod/mini';

/** A schema of the Europace Partner API v2 spec (`docs/api/europace-partner-openapi.yaml`), by component name. */
export interface EuropaceSchema {
  readonly europace: string;
}

/** One answer a route can give: its body (none when absent) and the headers it sets. */
export interface ResponseSpec {
  readonly description: string;
  /** zod/mini schema of the JSON body (validated as the code produces it: `io: 'output'`), or a Europace component; errors default to `ErrorBody`. */
  readonly body?: z.ZodMiniType | EuropaceSchema;
  /** Response header name → description (all strings). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Every status a route answers besides the ones every route shares (`COMMON_ERRORS` in common.ts).
 * A string is an error answer with the shared `ErrorBody`; its text says when it happens.
 */
export type RouteResponses = Readonly<Record<number, ResponseSpec | string>>;

/** Route id (catalog) → its answers. Each context's module declares the routes of its catalog file. */
export type ResponsesByRoute = Readonly<Record<string, RouteResponses>>;
