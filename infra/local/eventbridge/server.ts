/**
 * A local EventBridge bus: speaks the AWS JSON 1.1 protocol of PutEvents so the unchanged AWS SDK
 * (`AWS_ENDPOINT_URL_EVENTBRIDGE`) publishes to it, matches events against the catalog's rules with
 * EventBridge's pattern semantics and invokes the targets in-process.
 * Inspection: GET /_local/events (recent events received), GET /_local/dead-letters (failed deliveries).
 * Tap: GET /_local/events/stream (?detail-type=&source=&tenant=): every event accepted from now on, one JSON
 * line each, until the client goes away — what `npm run events -- --follow` reads (infra/local/events-tap.ts).
 * Operation: POST /_local/dead-letters/replay (body `{ruleId?, eventIds?}`: re-deliver dead letters, all
 * by default; `eventIds` are `detail.eventId`s), `npm run replay` calls it.
 * Fault injection (tests): PUT /_local/faults/{ruleId} `{"failing": true|false}` makes that rule's target
 * fail (as a consumer whose dependency is down would) until cleared.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventPattern } from '../../../shared/platform/event-pattern-types.js';
import { BoundedLog, DEFAULT_RETRY, Deliveries, type DeadLetter, type RetryPolicy } from './delivery.js';
import { matchesPattern, validatePattern } from './pattern.js';
import { AwsJsonError, putEvents, type EventEnvelope } from './put-events.js';

export type { DeadLetter, RetryPolicy } from './delivery.js';
export type { EventEnvelope } from './put-events.js';

export interface LocalRule {
  id: string;
  pattern: EventPattern;
  target: (event: EventEnvelope) => Promise<void>;
}

export interface LocalEventBridgeOptions {
  port?: number;
  host?: string;
  rules: LocalRule[];
  busName?: string;
  region?: string;
  retry?: RetryPolicy;
}

export interface LocalEventBridge {
  url: string;
  stop(): Promise<void>;
  deadLetters(): DeadLetter[];
  events(): EventEnvelope[];
  /** Resolves when no delivery is in flight. */
  idle(): Promise<void>;
  /** Outage: stops listening (callers get connection refused) until `resume()`, which listens on the same port. */
  suspend(): Promise<void>;
  resume(): Promise<void>;
  /** Re-delivers dead letters (all, or of one rule / some `detail.eventId`s); returns how many. */
  replay(filter?: ReplayFilter): number;
  /** Fault injection: the rule's target fails while `failing`. */
  setFailing(ruleId: string, failing: boolean): void;
}

export interface ReplayFilter {
  readonly ruleId?: string;
  readonly eventIds?: readonly string[];
}

const LOCAL_ACCOUNT = '000000000000';
const ARCHIVE_SIZE = 1000;
/** Far above the 256 KB entry limit; only guards the process against runaway bodies. */
const MAX_BODY_BYTES = 1024 * 1024;
const AMZ_JSON = 'application/x-amz-json-1.1';

export async function startLocalEventBridge(options: LocalEventBridgeOptions): Promise<LocalEventBridge> {
  const rules = validateRules(options.rules);
  const bus = { busName: options.busName ?? 'default', region: options.region ?? 'eu-central-1', account: LOCAL_ACCOUNT };
  const deliveries = new Deliveries(options.retry ?? DEFAULT_RETRY);
  const archive = new BoundedLog<EventEnvelope>(ARCHIVE_SIZE);
  const failing = new Set<string>();
  const targets = new Map(
    rules.map((rule) => [
      rule.id,
      async (event: EventEnvelope) => {
        if (failing.has(rule.id)) throw new Error(`injected fault: the target of rule ${rule.id} is failing`);
        await rule.target(event);
      },
    ]),
  );
  const replay = (filter: ReplayFilter = {}) =>
    deliveries.replay(
      targets,
      (letter) =>
        (filter.ruleId === undefined || letter.ruleId === filter.ruleId) &&
        (filter.eventIds === undefined || filter.eventIds.includes(String(letter.event.detail?.eventId))),
    );
  const setFailing = (ruleId: string, on: boolean) => {
    if (!targets.has(ruleId)) throw new AwsJsonError('ResourceNotFoundException', `Rule ${ruleId} does not exist.`, 404);
    if (on) failing.add(ruleId);
    else failing.delete(ruleId);
  };

  const taps = new Taps();
  const publish = (body: unknown) => {
    const { response, accepted } = putEvents(body, bus);
    for (const event of accepted) {
      archive.add(event);
      taps.send(event);
      for (const rule of rules) if (matchesPattern(rule.pattern, event)) deliveries.dispatch(rule.id, targets.get(rule.id)!, event);
    }
    return response;
  };

  const server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === TAP_PATH) return taps.open(req, res);
    route(req, res, publish, { events: () => archive.list(), deadLetters: () => deliveries.deadLetters.list(), replay, setFailing }).catch(
      (error: unknown) => sendAwsError(res, error),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  let listening = true;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    url: `http://${host}:${port}`,
    deadLetters: () => deliveries.deadLetters.list(),
    events: () => archive.list(),
    idle: () => deliveries.idle(),
    replay,
    setFailing,
    async suspend() {
      if (!listening) return;
      listening = false;
      taps.closeAll();
      await close();
    },
    async resume() {
      if (listening) return;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, address, () => {
          server.off('error', reject);
          resolve();
        });
      });
      listening = true;
    },
    async stop() {
      taps.closeAll();
      if (!listening) return void (await deliveries.idle());
      listening = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.all([closed, deliveries.idle()]);
    },
  };
}

const TAP_PATH = '/_local/events/stream';

/** Open taps: each gets the accepted events its filter (query `detail-type`, `source`, `tenant`) lets through. */
class Taps {
  private readonly open_ = new Map<ServerResponse, (event: EventEnvelope) => boolean>();

  open(req: IncomingMessage, res: ServerResponse): void {
    const query = new URL(req.url ?? '/', 'http://tap').searchParams;
    const types = query.getAll('detail-type').flatMap((t) => t.split(',')).filter(Boolean);
    const sources = query.getAll('source').flatMap((t) => t.split(',')).filter(Boolean);
    const tenant = query.get('tenant');
    const wanted = (event: EventEnvelope) =>
      (types.length === 0 || types.includes(event['detail-type'])) &&
      (sources.length === 0 || sources.includes(event.source)) &&
      (tenant === null || (event.detail as { tenant?: unknown } | undefined)?.tenant === tenant);
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    res.flushHeaders();
    this.open_.set(res, wanted);
    res.on('close', () => this.open_.delete(res));
  }

  send(event: EventEnvelope): void {
    for (const [res, wanted] of this.open_) if (wanted(event)) res.write(`${JSON.stringify(event)}\n`);
  }

  closeAll(): void {
    for (const res of this.open_.keys()) res.end();
    this.open_.clear();
  }
}

function validateRules(rules: LocalRule[]): LocalRule[] {
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.id)) throw new Error(`Duplicate local EventBridge rule id "${rule.id}"`);
    ids.add(rule.id);
    try {
      validatePattern(rule.pattern);
    } catch (error) {
      throw new Error(`Rule "${rule.id}": ${(error as Error).message}`);
    }
  }
  return [...rules];
}

type Publish = (body: unknown) => unknown;
interface Inspection {
  events(): EventEnvelope[];
  deadLetters(): DeadLetter[];
  replay(filter: ReplayFilter): number;
  setFailing(ruleId: string, failing: boolean): void;
}

const FAULT_PATH = /^\/_local\/faults\/([\w.-]+)$/;

async function route(req: IncomingMessage, res: ServerResponse, publish: Publish, inspect: Inspection): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/_local/events') return sendJson(res, 200, inspect.events(), 'application/json');
  if (req.method === 'GET' && path === '/_local/dead-letters') return sendJson(res, 200, inspect.deadLetters(), 'application/json');
  if (req.method === 'POST' && path === '/_local/dead-letters/replay') {
    const text = await readBody(req);
    const filter = (text.trim() ? parseJson(text) : {}) as ReplayFilter;
    if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
      throw new AwsJsonError('ValidationException', 'Expected a JSON object {ruleId?, eventIds?}.');
    }
    if (filter.ruleId !== undefined && typeof filter.ruleId !== 'string') throw new AwsJsonError('ValidationException', 'ruleId must be a string.');
    if (filter.eventIds !== undefined && !(Array.isArray(filter.eventIds) && filter.eventIds.every((id) => typeof id === 'string'))) {
      throw new AwsJsonError('ValidationException', 'eventIds must be a list of strings.');
    }
    return sendJson(res, 200, { replayed: inspect.replay(filter) }, 'application/json');
  }
  const fault = FAULT_PATH.exec(path);
  if (req.method === 'PUT' && fault) {
    const body = parseJson(await readBody(req)) as { failing?: unknown } | null;
    if (typeof body?.failing !== 'boolean') throw new AwsJsonError('ValidationException', 'Expected {"failing": true|false}.');
    inspect.setFailing(fault[1], body.failing);
    return sendJson(res, 200, { ruleId: fault[1], failing: body.failing }, 'application/json');
  }
  if (req.method !== 'POST' || path !== '/') {
    throw new AwsJsonError('UnknownOperationException', `No operation at ${req.method} ${path}`, 404);
  }
  const target = req.headers['x-amz-target'];
  if (target !== 'AWSEvents.PutEvents') {
    throw new AwsJsonError('UnknownOperationException', `Operation ${String(target)} is not supported by the local EventBridge`);
  }
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.')) {
    throw new AwsJsonError('SerializationException', `Expected Content-Type ${AMZ_JSON}`);
  }
  sendJson(res, 200, publish(parseJson(await readBody(req))), AMZ_JSON);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AwsJsonError('ValidationException', 'Request body is too large.', 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AwsJsonError('SerializationException', 'The request body is not valid JSON.');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, contentType: string): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(payload);
}

function sendAwsError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) return void res.destroy();
  const known = error instanceof AwsJsonError;
  const type = known ? error.type : 'InternalException';
  const message = error instanceof Error ? error.message : String(error);
  sendJson(res, known ? error.statusCode : 500, { __type: type, message }, AMZ_JSON);
}
