/**
 * Optimistic concurrency in domain words. An object has a version (an opaque string); a conditional write
 * says what it expects of the current one. The HTTP stack reads the expectation from `If-Match` and shows
 * versions as strong ETags (`shared/platform/http.ts`); the domain never sees a header (decision 0070).
 */
export type ExpectedVersion =
  /** No condition: the write applies to whatever is there (and may create). */
  | { readonly kind: 'any' }
  /** The object must exist, in any version (`If-Match: *`). */
  | { readonly kind: 'existing' }
  /** The object must exist in one of these versions (`If-Match: "v1", W/"v2"`); none listed: nothing matches. */
  | { readonly kind: 'oneOf'; readonly versions: readonly string[] };

export const ANY_VERSION: ExpectedVersion = { kind: 'any' };

/** Whether the object's current version (`undefined`: the object does not exist) meets the expectation. */
export function versionMeets(expected: ExpectedVersion, current: string | undefined): boolean {
  switch (expected.kind) {
    case 'any':
      return true;
    case 'existing':
      return current !== undefined;
    case 'oneOf':
      return current !== undefined && expected.versions.includes(current);
  }
}

/** A write pinned to named versions fails when it loses a race; any other re-reads and applies again. */
export const pinsVersion = (expected: ExpectedVersion): boolean => expected.kind === 'oneOf';
