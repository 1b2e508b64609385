/**
 * The public API, nothing else (issue 14): every call the page makes is one an integrator can make with a
 * guest token of the platform's pages. Errors carry the API's own `message` and `code`.
 */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T | undefined>;
}

export function createApi(baseUrl: string, token: () => string): Api {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    const headers: Record<string, string> = { authorization: `Bearer ${token()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    if (!response.ok) {
      throw new ApiError(response.status, String(parsed?.message ?? response.statusText), parsed?.code === undefined ? undefined : String(parsed.code));
    }
    return parsed as T | undefined;
  }
  return {
    get: async <T>(path: string) => (await call<T>('GET', path)) as T,
    send: call,
  };
}
