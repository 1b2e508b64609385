/**
 * EventBridge wildcard strings: `*` matches any run of characters (including none, and including `/`),
 * `\*` is a literal asterisk and `\\` a literal backslash. Consecutive unescaped `*` and any other
 * backslash escape are rejected, as EventBridge rejects them.
 */

/** Null when `wildcard` is well formed, else why not. */
export function wildcardSyntaxError(wildcard: string): string | null {
  for (let i = 0; i < wildcard.length; i++) {
    const c = wildcard[i];
    if (c === '\\') {
      const next = wildcard[i + 1];
      if (next !== '*' && next !== '\\') return 'a backslash may only escape "*" or "\\"';
      i++;
    } else if (c === '*' && wildcard[i + 1] === '*') {
      return 'consecutive wildcard characters are not allowed';
    }
  }
  return null;
}

// Patterns are few and fixed per rule set, so compiled expressions are kept for the process lifetime.
const compiled = new Map<string, RegExp>();

export function wildcardMatches(wildcard: string, value: string): boolean {
  let regex = compiled.get(wildcard);
  if (!regex) {
    regex = toRegExp(wildcard);
    compiled.set(wildcard, regex);
  }
  return regex.test(value);
}

function toRegExp(wildcard: string): RegExp {
  let source = '';
  for (let i = 0; i < wildcard.length; i++) {
    const c = wildcard[i];
    if (c === '\\' && i + 1 < wildcard.length) {
      source += escapeForRegExp(wildcard[++i]);
    } else if (c === '*') {
      source += '[\\s\\S]*';
    } else {
      source += escapeForRegExp(c);
    }
  }
  return new RegExp(`^${source}$`);
}

const escapeForRegExp = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
