import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { config } from '../platform/config.js';
import { type AddressClass, classifyAddress } from './addresses.js';
import { notificationErrors } from './errors.js';

/**
 * A webhook endpoint as the SSRF guard accepted it (decision 0403): the URL and the addresses its host
 * resolved to, every one of them checked. Deliveries connect to a checked address, never resolve again
 * between check and connect (no DNS rebinding), and resolve and check afresh for every attempt.
 */
export interface CheckedEndpoint {
  readonly url: URL;
  readonly address: string;
  readonly family: 4 | 6;
}

export const MAX_URL_LENGTH = 2048;
/** A host that does not resolve within this is unresolvable (the attempt's own 5 s start after it). */
const LOOKUP_TIMEOUT_MS = 2_000;

export type EndpointRefusal =
  | { readonly reason: 'malformed' | 'scheme' | 'credentials' | 'unresolvable' }
  | { readonly reason: 'address'; readonly address: string; readonly addressClass: AddressClass };

/** Checks a URL's form: https (http only to loopback where configuration allows it), no credentials. */
export function checkUrlForm(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw notificationErrors.endpointRefused(text, { reason: 'malformed' });
  }
  const loopbackAllowed = config().notificationAllowLoopback;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackAllowed)) {
    throw notificationErrors.endpointRefused(text, { reason: 'scheme' });
  }
  if (text.length > MAX_URL_LENGTH || url.hostname === '') throw notificationErrors.endpointRefused(text, { reason: 'malformed' });
  if (url.username !== '' || url.password !== '') throw notificationErrors.endpointRefused(text, { reason: 'credentials' });
  return url;
}

async function addressesOf(hostname: string): Promise<Array<{ address: string; family: 4 | 6 }>> {
  const literal = hostname.replace(/^\[|\]$/g, '');
  const version = isIP(literal);
  if (version !== 0) return [{ address: literal, family: version as 4 | 6 }];
  let timer: NodeJS.Timeout | undefined;
  try {
    // A resolver that never answers must not hold an attempt (or a registration) beyond its bounds.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('lookup timed out')), LOOKUP_TIMEOUT_MS);
    });
    const found = await Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout]);
    return found.map((entry) => ({ address: entry.address, family: entry.family as 4 | 6 }));
  } catch {
    return [];
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves the URL's host and checks every address: all must be public, or — where configuration allows
 * loopback (the local runtime) — all loopback. Plain http is accepted only when every address is loopback.
 * One refused address refuses the endpoint: a host that answers with a public and a private address is
 * exactly the rebinding trick the check exists for.
 */
export async function checkEndpoint(text: string): Promise<CheckedEndpoint> {
  const url = checkUrlForm(text);
  const addresses = await addressesOf(url.hostname);
  if (addresses.length === 0) throw notificationErrors.endpointRefused(text, { reason: 'unresolvable' });
  const loopbackAllowed = config().notificationAllowLoopback;
  for (const { address } of addresses) {
    const addressClass = classifyAddress(address);
    const accepted = url.protocol === 'https:' ? addressClass === 'public' || (loopbackAllowed && addressClass === 'loopback') : addressClass === 'loopback';
    if (!accepted) throw notificationErrors.endpointRefused(text, { reason: 'address', address, addressClass });
  }
  return { url, ...addresses[0] };
}
