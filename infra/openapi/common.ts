import * as z from 'zod/mini';
import type { ErrorBody } from '../../shared/platform/http-errors.js';

/** The one error body of every function (`shared/platform/http-errors.ts`). */
export const errorBody = z.object({
  message: z.string(),
  traceId: z.string(),
  code: z.string(),
  details: z.optional(z.record(z.string(), z.unknown())),
});
// The schema describes the interface the functions build; a change to either fails the type check.
const _sameErrorBody: [ErrorBody, z.infer<typeof errorBody>] = [{} as z.infer<typeof errorBody>, {} as ErrorBody];
void _sameErrorBody;

/** What the gateway answers itself (no route, no or a bad token, missing scope): API Gateway's body plus our trace id. */
export const gatewayErrorBody = z.object({ message: z.string(), traceId: z.optional(z.string()) });

/** Statuses every route can answer: the gateway's and the http stack's (`shared/platform/http.ts`), whatever the route takes. */
export const COMMON_ERRORS: Readonly<Record<number, string>> = {
  400: 'The request is malformed: path parameters, query, body (JSON, UTF-8, depth) or its schema (`code` names the rule, `details.fields` the fields).',
  401: 'No valid bearer token (the gateway), or a token without a principal.',
  403: "The token lacks the route's scopes (the gateway) or its caller kind may not use the route (route policy, decision 0010).",
  413: 'The request body exceeds the limit (the function’s, 256 KiB by default, also where the route reads no body; 10 MB at the gateway).',
  431: 'The request headers are too large (the gateway).',
  500: 'Unexpected failure (opaque; the trace id finds it in the logs).',
};

const europaceMarks = new WeakMap<object, string>();
/**
 * A place inside a zod response schema that holds a schema of the Europace spec (by component name), e.g. as
 * the items of an array; the generator writes a `$ref` there. Only where presence is decided outside it.
 */
export function europace(component: string): z.ZodMiniUnknown {
  const schema = z.unknown();
  europaceMarks.set(schema, component);
  return schema;
}
export const europaceComponentOf = (schema: unknown): string | undefined => europaceMarks.get(schema as object);
