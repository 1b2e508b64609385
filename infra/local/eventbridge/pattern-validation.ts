/**
 * Rejects event patterns that EventBridge's PutRule would reject, so a broken rule in the catalog fails
 * when the local bus starts instead of silently never matching.
 */
import { isIP } from 'node:net';
import type { EventPattern } from '../../../shared/platform/event-pattern-types.js';
import { wildcardSyntaxError } from './wildcard.js';

export class InvalidEventPatternError extends Error {
  constructor(reason: string, path: string) {
    super(`Event pattern is not valid. Reason: ${reason} (at ${path || 'the pattern root'})`);
    this.name = 'InvalidEventPatternError';
  }
}

/** EventBridge's documented numeric range (Event Ruler limits numbers to ±5.0e9). */
const NUMERIC_LIMIT = 5e9;
const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const nonEmptyListOf = (v: unknown, item: (x: unknown) => boolean) => Array.isArray(v) && v.length > 0 && v.every(item);

export function validatePattern(pattern: unknown): asserts pattern is EventPattern {
  validateObject(pattern, '');
}

function validateObject(node: unknown, path: string): void {
  if (!isPlainObject(node)) throw new InvalidEventPatternError('a pattern level must be a JSON object', path);
  const keys = Object.keys(node);
  if (keys.length === 0) throw new InvalidEventPatternError('Empty objects are not allowed', path);
  for (const key of keys) {
    const child = node[key];
    const childPath = path ? `${path}.${key}` : key;
    if (key === '$or') validateOr(child, childPath);
    else if (Array.isArray(child)) validateLeafList(child, childPath);
    else if (isPlainObject(child)) validateObject(child, childPath);
    else throw new InvalidEventPatternError('match values must be given in an array or a nested object', childPath);
  }
}

function validateOr(alternatives: unknown, path: string): void {
  if (!Array.isArray(alternatives) || alternatives.length < 2) {
    throw new InvalidEventPatternError('"$or" needs an array of at least two patterns', path);
  }
  alternatives.forEach((alternative, i) => validateObject(alternative, `${path}[${i}]`));
}

function validateLeafList(values: unknown[], path: string): void {
  if (values.length === 0) throw new InvalidEventPatternError('Empty arrays are not allowed', path);
  values.forEach((value, i) => {
    const at = `${path}[${i}]`;
    if (value === null || isString(value) || isNumber(value) || typeof value === 'boolean') return;
    if (isPlainObject(value)) return validateMatcher(value, at);
    throw new InvalidEventPatternError('match values must be strings, numbers, booleans, null or a matcher object', at);
  });
}

function validateMatcher(matcher: Record<string, unknown>, path: string): void {
  const keys = Object.keys(matcher);
  if (keys.length !== 1) throw new InvalidEventPatternError('a matcher object must have exactly one key', path);
  const [kind] = keys;
  const arg = matcher[kind];
  const fail = (reason: string): never => {
    throw new InvalidEventPatternError(`${kind}: ${reason}`, path);
  };
  switch (kind) {
    case 'prefix':
    case 'suffix':
      if (isString(arg) || (isPlainObject(arg) && isOnlyKey(arg, 'equals-ignore-case') && isString(arg['equals-ignore-case']))) return;
      return fail('must be a string or {"equals-ignore-case": string}');
    case 'equals-ignore-case':
      return isString(arg) ? undefined : fail('must be a string');
    case 'wildcard':
      return validateWildcard(arg, fail);
    case 'exists':
      return typeof arg === 'boolean' ? undefined : fail('must be true or false');
    case 'cidr':
      return isString(arg) && isValidCidr(arg) ? undefined : fail(`${JSON.stringify(arg)} is not an IPv4/IPv6 CIDR block`);
    case 'numeric':
      return validateNumeric(arg, fail);
    case 'anything-but':
      return validateAnythingBut(arg, fail);
    default:
      return fail('Unrecognized match type');
  }
}

const isOnlyKey = (o: Record<string, unknown>, key: string) => Object.keys(o).length === 1 && key in o;

function validateWildcard(arg: unknown, fail: (reason: string) => never): void {
  if (!isString(arg)) fail('must be a string');
  const problem = wildcardSyntaxError(arg as string);
  if (problem) fail(problem);
}

function validateAnythingBut(arg: unknown, fail: (reason: string) => never): void {
  if (isString(arg) || isNumber(arg)) return;
  if (Array.isArray(arg)) {
    if (nonEmptyListOf(arg, isString) || nonEmptyListOf(arg, isNumber)) return;
    fail('a list must be non-empty and hold only strings or only numbers');
  }
  if (!isPlainObject(arg) || Object.keys(arg).length !== 1) {
    fail('must be a string, a number, a list, or one of {prefix}, {suffix}, {equals-ignore-case}, {wildcard}');
  }
  const [inner] = Object.keys(arg as object);
  const value = (arg as Record<string, unknown>)[inner];
  // Documented: anything-but prefix/suffix take a single value; equals-ignore-case and wildcard also take lists.
  if ((inner === 'prefix' || inner === 'suffix') && isString(value)) return;
  if (inner === 'equals-ignore-case' && (isString(value) || nonEmptyListOf(value, isString))) return;
  if (inner === 'wildcard' && (isString(value) || nonEmptyListOf(value, isString))) {
    for (const w of [value].flat() as string[]) validateWildcard(w, fail);
    return;
  }
  fail(`{"${inner}": ${JSON.stringify(value)}} is not a supported anything-but form`);
}

function validateNumeric(arg: unknown, fail: (reason: string) => never): void {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) {
    fail('must be [operator, number] or [lower-op, number, upper-op, number]');
  }
  const pairs: Array<[unknown, unknown]> = [];
  for (let i = 0; i < (arg as unknown[]).length; i += 2) pairs.push([(arg as unknown[])[i], (arg as unknown[])[i + 1]]);
  for (const [op, n] of pairs) {
    if (!isString(op) || !(op === '=' || LOWER_BOUNDS.has(op) || UPPER_BOUNDS.has(op))) fail(`unknown operator ${JSON.stringify(op)}`);
    if (!isNumber(n) || Math.abs(n) > NUMERIC_LIMIT) fail(`${JSON.stringify(n)} is not a number within ±5.0e9`);
  }
  if (pairs.some(([op]) => op === '=') && pairs.length > 1) fail('"=" cannot be combined with other operators');
  const lower = pairs.filter(([op]) => LOWER_BOUNDS.has(op as string));
  const upper = pairs.filter(([op]) => UPPER_BOUNDS.has(op as string));
  if (lower.length > 1 || upper.length > 1) fail('at most one lower and one upper bound');
  if (lower.length === 1 && upper.length === 1 && (lower[0][1] as number) >= (upper[0][1] as number)) {
    fail('the lower bound must be below the upper bound');
  }
}

export function isValidCidr(cidr: string): boolean {
  const [address, bits, ...rest] = cidr.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const maxBits = version === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= maxBits;
}
