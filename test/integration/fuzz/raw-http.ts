import { request } from 'node:http';
import { checkAgainstDescription } from '../../support/openapi-check.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  readonly body: any;
}

/**
 * One HTTP request with the request target exactly as given. `fetch` (WHATWG URL) resolves `%2e%2e`
 * and re-encodes the path before sending, so it cannot send what an attacker's raw client sends.
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  target: string,
  options: { token?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port: Number(port), method, path: target, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        const answer = { status: res.statusCode ?? 0, headers: res.headers, text, body };
        try {
          // Every answer, also to malformed requests, is one the description names (decision 0090).
          checkAgainstDescription(method, target, { ...answer, headers: new Headers() });
        } catch (error) {
          return reject(error);
        }
        resolve(answer);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
