import { config } from './config.js';

/** What a link is built from: the origin the HTTP stack found for the request (`HttpRequest.origin`). */
export interface Linkable {
  readonly origin: string;
}

/**
 * The base URL of the API for absolute links in responses, one rule for every context: the configured
 * public base (`PUBLIC_BASE_URL`), else the host API Gateway served the request on, over https.
 */
export function originOf(domainName: string | undefined): string {
  return config().publicBaseUrl || `https://${domainName ?? 'localhost'}`;
}

/** An absolute link to `path` on this API; `path` starts with `/` and carries its own encoded segments. */
export const link = (request: Linkable, path: string): string => `${request.origin}${path}`;
