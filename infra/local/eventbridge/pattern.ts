/**
 * EventBridge event pattern matching, so the local bus routes exactly as the real one would.
 *
 * Semantics (Amazon EventBridge user guide, "Amazon EventBridge event patterns", "Content filtering",
 * "Arrays in Amazon EventBridge event patterns"):
 * - fields of one pattern level are ANDed; the values listed for a field are ORed; `$or` ORs sub-patterns;
 * - an event field holding an array matches when any element matches (nested arrays are flattened);
 * - a nested pattern applied to an array of objects must match within ONE element, so fields of
 *   different elements are never combined (EventBridge's "array-consistent" matching);
 * - only leaves (strings, numbers, booleans, null) are values: `exists` ignores objects, and every other
 *   matcher needs a present leaf, so a missing field only matches `{"exists": false}`.
 * Patterns are assumed valid (run validatePattern when loading rules); this module does no I/O.
 */
import type { EventPattern } from '../../../shared/platform/event-pattern-types.js';
import { matchesValue, type Leaf } from './value-matchers.js';

export { InvalidEventPatternError, validatePattern } from './pattern-validation.js';

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchesLevel(pattern, event);
}

type Json = unknown;

function matchesLevel(pattern: EventPattern, value: Json): boolean {
  return objectCandidates(value).some((candidate) => matchesAllFields(pattern, candidate));
}

function matchesAllFields(pattern: EventPattern, object: Record<string, Json> | undefined): boolean {
  return Object.entries(pattern).every(([field, fieldPattern]) => {
    if (field === '$or' && Array.isArray(fieldPattern)) {
      return (fieldPattern as EventPattern[]).some((alternative) => matchesAllFields(alternative, object));
    }
    const value = object !== undefined && Object.hasOwn(object, field) ? object[field] : undefined;
    return Array.isArray(fieldPattern)
      ? matchesLeafValues(fieldPattern as readonly unknown[], leavesOf(value))
      : matchesLevel(fieldPattern as EventPattern, value);
  });
}

/**
 * The objects a nested pattern is tried against: the object itself, or each object inside an array.
 * With no object there, the pattern still runs against "nothing", which only `exists: false` can match.
 */
function objectCandidates(value: Json): Array<Record<string, Json> | undefined> {
  const objects = flatten(value).filter(isObject);
  return objects.length > 0 ? objects : [undefined];
}

function leavesOf(value: Json): Leaf[] {
  return flatten(value).filter((v): v is Leaf => v === null || ['string', 'number', 'boolean'].includes(typeof v));
}

function flatten(value: Json): Json[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function matchesLeafValues(patternValues: readonly unknown[], leaves: Leaf[]): boolean {
  return patternValues.some((patternValue) => {
    if (isObject(patternValue) && 'exists' in patternValue) return (leaves.length > 0) === patternValue.exists;
    return leaves.some((leaf) => matchesValue(patternValue, leaf));
  });
}
