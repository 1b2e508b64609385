import type { HttpMethod, RouteDefinition } from '../catalog/types.js';

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** Literal segments outrank `{param}`, which outranks `{proxy+}`, as API Gateway picks the most specific. */
  readonly rank: readonly number[];
}

export interface RouteMatch {
  readonly route: RouteDefinition;
  readonly pathParameters: Record<string, string>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(route: RouteDefinition): CompiledRoute {
  const names: string[] = [];
  const rank: number[] = [];
  const parts = route.path.split('/').slice(1).map((segment) => {
    const greedy = /^\{(\w+)\+\}$/.exec(segment);
    if (greedy) {
      names.push(greedy[1]);
      rank.push(0);
      return '(.+)';
    }
    const param = /^\{(\w+)\}$/.exec(segment);
    if (param) {
      names.push(param[1]);
      rank.push(1);
      return '([^/]+)';
    }
    rank.push(2);
    return escapeRegExp(segment);
  });
  return { route, names, rank, pattern: new RegExp(`^/${parts.join('/')}$`) };
}

function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (b[i] ?? -1) - (a[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * Matches request paths against the catalog the way API Gateway HTTP APIs do: on the raw path as
 * sent, split at `/` first and each parameter decoded afterwards, so `%2F` stays inside one parameter
 * and `.`/`..` (also as `%2e%2e`) are never resolved against other segments: `/me/relations/%2e%2e`
 * is the relations route with the parameter `..` (which the http stack refuses), never `/me`.
 */
export function createRouteMatcher(routes: readonly RouteDefinition[]) {
  const compiled = routes.map(compile).sort((a, b) => compareRank(a.rank, b.rank));
  return (method: string, rawPath: string): RouteMatch | undefined => {
    // API Gateway routes `/a/b/` to the route `/a/b` (route paths may not end in a slash).
    const path = rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath;
    for (const candidate of compiled) {
      if (candidate.route.method !== (method as HttpMethod)) continue;
      const match = candidate.pattern.exec(path);
      if (!match) continue;
      const pathParameters: Record<string, string> = {};
      candidate.names.forEach((name, i) => {
        pathParameters[name] = safeDecode(match[i + 1]);
      });
      return { route: candidate.route, pathParameters };
    }
    return undefined;
  };
}

/** Decodes one parameter (a `{proxy+}` segment by segment); the gateway refuses undecodable paths before matching. */
function safeDecode(value: string): string {
  try {
    return value.split('/').map(decodeURIComponent).join('/');
  } catch {
    return value;
  }
}
