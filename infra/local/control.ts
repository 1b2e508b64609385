/**
 * The local platform's control endpoint (127.0.0.1 only, port in `--ready-json` as `controlUrl`): lets
 * fault-injection tests and operators take parts of the platform down and up and run a sweep now.
 *   POST /relay/stop | /relay/start   the stream relay (a stop abandons what it read but did not publish)
 *   POST /bus/stop   | /bus/start     the local EventBridge endpoint (connection refused while stopped)
 *   POST /sweep  {"time"?: ISO}       one outbox sweep, as the schedule would run it at `time`
 *   POST /access/probe                what each function's clients let through (its access list, decision 0050)
 *   POST /access/denials              the calls refused so far because a function's access list lacked them
 * Answers JSON; unknown paths 404, bad bodies 400.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ControlActions {
  readonly [action: string]: (body: Record<string, unknown>) => Promise<unknown>;
}

export interface ControlServer {
  readonly url: string;
  stop(): Promise<void>;
}

export class BadRequest extends Error {}

export async function startControl(actions: ControlActions): Promise<ControlServer> {
  const server = createServer((req, res) => {
    handle(req, res, actions).catch((error: unknown) => {
      const status = error instanceof BadRequest ? 400 : 500;
      send(res, status, { message: (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, actions: ControlActions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0].replace(/^\//, '');
  const action = Object.hasOwn(actions, path) ? actions[path] : undefined;
  if (req.method !== 'POST' || !action) return send(res, 404, { message: `No control action at ${req.method} /${path}` });
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  let body: unknown = {};
  try {
    if (text) body = JSON.parse(text);
  } catch {
    throw new BadRequest('The body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('Expected a JSON object');
  send(res, 200, (await action(body as Record<string, unknown>)) ?? {});
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}
