import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures (docs/notifications.md, decision 0402), Stripe-style: the header
 * `Mydata-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` carries one `v1=` per currently
 * valid secret, so a receiver that still knows only the old secret during a rotation verifies as well as one
 * that already knows the new one. The same scheme signs our deliveries and a partner's acknowledgements.
 */
export const SIGNATURE_HEADER = 'Mydata-Signature';
/** How far a signature's timestamp may be from the verifier's clock, either way (replay window). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type SignatureVerdict = 'valid' | 'missing' | 'stale' | 'invalid';

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The header value for a body sent at `timestamp` (unix seconds), one `v1=` per secret, in the given order. */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  if (secrets.length === 0) throw new TypeError('A signature needs at least one secret');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new TypeError('A signature timestamp is whole unix seconds');
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${hmacHex(secret, timestamp, body)}`)].join(',');
}

interface ParsedHeader {
  readonly timestamp: number;
  readonly signatures: readonly Buffer[];
}

/** `t=` exactly once (digits only), any number of `v1=` of 64 hex digits; unknown schemes are ignored (forward compatible). */
function parseHeader(header: string): ParsedHeader | undefined {
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) return undefined;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) return undefined;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}

/** A verdict and, once a `v1=` matched, the signed timestamp as the verifier read it (the one parse of the header). */
export type SignatureCheck =
  | { readonly verdict: 'missing' }
  | { readonly verdict: 'invalid' }
  | { readonly verdict: 'valid'; readonly timestamp: number }
  | { readonly verdict: 'stale'; readonly timestamp: number };

/**
 * Checks a signature header against a body and the signer's currently valid secrets: `missing` (no header),
 * `invalid` (malformed, or no `v1=` matches any secret), `stale` (a matching signature whose timestamp lies
 * more than `toleranceSeconds` from `nowSeconds` — a replay or a wrong clock), else `valid`. Every
 * comparison is constant-time, and every pair is compared, so timing tells nothing about which one matched.
 * A replay guard keys on the answered `timestamp` (with the body), never on the header's text: every
 * spelling the parser accepts (`t=0…`, spaces, order) is the same signature.
 */
export function checkSignature(
  header: string | undefined,
  body: string,
  secrets: readonly string[],
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): SignatureCheck {
  if (header === undefined || header.trim() === '') return { verdict: 'missing' };
  const parsed = parseHeader(header);
  if (!parsed) return { verdict: 'invalid' };
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(hmacHex(secret, parsed.timestamp, body), 'hex');
    for (const candidate of parsed.signatures) {
      if (timingSafeEqual(expected, candidate)) matched = true;
    }
  }
  if (!matched) return { verdict: 'invalid' };
  return { verdict: Math.abs(nowSeconds - parsed.timestamp) > toleranceSeconds ? 'stale' : 'valid', timestamp: parsed.timestamp };
}

/** `checkSignature`'s verdict alone (receivers and tests). */
export const verifySignature = (
  header: string | undefined,
  body: string,
  secrets: readonly string[],
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): SignatureVerdict => checkSignature(header, body, secrets, nowSeconds, toleranceSeconds).verdict;
