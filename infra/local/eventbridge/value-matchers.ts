/**
 * One pattern value against one leaf value of the event (a string, number, boolean or null).
 * `exists` is not here: it is about the presence of leaves, not about a single leaf (see pattern.ts).
 */
import { BlockList, isIP } from 'node:net';
import { wildcardMatches } from './wildcard.js';

export type Leaf = string | number | boolean | null;
type Matcher = Record<string, unknown>;

export function matchesValue(patternValue: unknown, leaf: Leaf): boolean {
  if (patternValue === null || typeof patternValue !== 'object') return patternValue === leaf;
  const [kind] = Object.keys(patternValue);
  const arg = (patternValue as Matcher)[kind];
  switch (kind) {
    case 'prefix':
      return typeof leaf === 'string' && affixMatches(arg, leaf, (v, a) => v.startsWith(a));
    case 'suffix':
      return typeof leaf === 'string' && affixMatches(arg, leaf, (v, a) => v.endsWith(a));
    case 'equals-ignore-case':
      return typeof leaf === 'string' && fold(leaf) === fold(arg as string);
    case 'wildcard':
      return typeof leaf === 'string' && wildcardMatches(arg as string, leaf);
    case 'numeric':
      return typeof leaf === 'number' && inNumericRange(arg as unknown[], leaf);
    case 'cidr':
      return typeof leaf === 'string' && inCidr(arg as string, leaf);
    case 'anything-but':
      return !excludedByAnythingBut(arg, leaf);
    default:
      return false;
  }
}

/** Case folding via lower-then-upper so that e.g. "ß" and "SS" compare equal, as Unicode folding does. */
const fold = (s: string) => s.toLowerCase().toUpperCase();

function affixMatches(arg: unknown, value: string, test: (value: string, affix: string) => boolean): boolean {
  if (typeof arg === 'string') return test(value, arg);
  const ignoringCase = (arg as Matcher)['equals-ignore-case'] as string;
  return test(fold(value), fold(ignoringCase));
}

/** True when the leaf is one of the values anything-but names, i.e. the leaf must NOT match. */
function excludedByAnythingBut(arg: unknown, leaf: Leaf): boolean {
  if (Array.isArray(arg)) return arg.includes(leaf);
  if (arg === null || typeof arg !== 'object') return arg === leaf;
  if (typeof leaf !== 'string') return false; // prefix/suffix/case/wildcard forms only describe strings
  const [kind] = Object.keys(arg);
  const values = [(arg as Matcher)[kind]].flat() as string[];
  switch (kind) {
    case 'prefix':
      return values.some((v) => leaf.startsWith(v));
    case 'suffix':
      return values.some((v) => leaf.endsWith(v));
    case 'equals-ignore-case':
      return values.some((v) => fold(v) === fold(leaf));
    case 'wildcard':
      return values.some((v) => wildcardMatches(v, leaf));
    default:
      return false;
  }
}

function inNumericRange(conditions: unknown[], n: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const bound = conditions[i + 1] as number;
    const ok =
      conditions[i] === '=' ? n === bound
      : conditions[i] === '>' ? n > bound
      : conditions[i] === '>=' ? n >= bound
      : conditions[i] === '<' ? n < bound
      : conditions[i] === '<=' ? n <= bound
      : false;
    if (!ok) return false;
  }
  return true;
}

const blockLists = new Map<string, BlockList>();

function inCidr(cidr: string, address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  let list = blockLists.get(cidr);
  if (!list) {
    list = new BlockList();
    const [network, bits] = cidr.split('/');
    const type = isIP(network) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(network, bits === undefined ? (type === 'ipv4' ? 32 : 128) : Number(bits), type);
    blockLists.set(cidr, list);
  }
  return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}
