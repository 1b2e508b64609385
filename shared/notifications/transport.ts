import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkEndpoint } from './endpoint.js';
import { SIGNATURE_HEADER, signatureHeader } from './signing.js';

/** One attempt never takes longer than this: resolve, connect and answer together (decision 0401). */
export const DELIVERY_TIMEOUT_MS = 5_000;
/** What is read of a receiver's answer at most; the rest is discarded. */
const MAX_ANSWER_BYTES = 4_096;

export type AttemptOutcome =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status?: number; readonly reason: 'refused-endpoint' | 'status' | 'redirect' | 'timeout' | 'network' | 'held' };

export const describeOutcome = (outcome: AttemptOutcome): string =>
  outcome.ok ? `HTTP ${outcome.status}` : outcome.status === undefined ? outcome.reason : `${outcome.reason} (HTTP ${outcome.status})`;

export interface SignedPost {
  readonly url: string;
  readonly body: string;
  readonly secrets: readonly string[];
  readonly deliveryId: string;
  readonly nowSeconds: number;
}

/**
 * POSTs a signed body: resolves and checks the endpoint (SSRF guard), connects to the checked address with
 * TLS verified against the URL's host name, never follows a redirect (a 3xx is a failure), gives up after
 * `DELIVERY_TIMEOUT_MS`. Only a 2xx is a delivery. Never throws: every failure is an outcome.
 *
 * The status decides (decision 0424), as webhook senders usually do: once the status line arrived, the outcome is
 * that status, whatever happens to the rest of the answer (a body cut off, a dropped connection, more than
 * `MAX_ANSWER_BYTES`). A receiver answers after it took the notice in; the body is never read for meaning.
 */
export async function postSigned(post: SignedPost): Promise<AttemptOutcome> {
  // One deadline for the whole attempt, resolving included.
  const deadlineAt = Date.now() + DELIVERY_TIMEOUT_MS;
  let endpoint: Awaited<ReturnType<typeof checkEndpoint>>;
  try {
    endpoint = await checkEndpoint(post.url);
  } catch {
    return { ok: false, reason: 'refused-endpoint' };
  }
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: endpoint.address, family: endpoint.family }]);
    else callback(null, endpoint.address, endpoint.family);
  };
  const options: RequestOptions = {
    method: 'POST',
    lookup: pinned,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(post.body)),
      'user-agent': 'mydata-notifications/1',
      [SIGNATURE_HEADER]: signatureHeader(post.secrets, post.nowSeconds, post.body),
      'Mydata-Delivery-Id': post.deliveryId,
    },
    timeout: DELIVERY_TIMEOUT_MS,
  };
  const send = endpoint.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    /** The outcome the status line decided, once it arrived. */
    let answered: AttemptOutcome | undefined;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(outcome);
    };
    const req = send(endpoint.url, options, (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) res.destroy();
      });
      const status = res.statusCode ?? 0;
      const outcome: AttemptOutcome =
        status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, reason: status >= 300 && status < 400 ? 'redirect' : 'status' };
      answered = outcome;
      res.on('end', () => finish(outcome));
      res.on('close', () => finish(outcome));
      res.on('error', () => finish(outcome));
    });
    // The socket timeout covers idleness; this covers the whole exchange (a receiver trickling bytes).
    const deadline = setTimeout(() => {
      req.destroy();
      finish({ ok: false, reason: 'timeout' });
    }, Math.max(0, deadlineAt - Date.now()));
    req.on('timeout', () => {
      req.destroy();
      finish({ ok: false, reason: 'timeout' });
    });
    // A connection dropped after the status line keeps the status's outcome; before it, it is a network failure.
    req.on('error', () => finish(answered ?? { ok: false, reason: 'network' }));
    req.end(post.body);
  });
}
