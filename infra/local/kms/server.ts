import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cryptoOperations } from './crypto-operations.js';
import { KmsError } from './errors.js';
import type { Input } from './input.js';
import { KeyStore } from './key-store.js';
import { keyOperations } from './key-operations.js';

export interface LocalKmsOptions {
  /** 0 or undefined: a free port chosen by the OS. */
  readonly port?: number;
  /** Default 127.0.0.1: the local KMS holds key material and must not listen on other interfaces by accident. */
  readonly host?: string;
  /** Key material persists in `<dataDir>/kms/keys.json` (mode 0600); without it, keys live in memory only. */
  readonly dataDir?: string;
  /** Region in key and alias ARNs; default eu-central-1. */
  readonly region?: string;
}

export interface LocalKms {
  readonly url: string;
  stop(): Promise<void>;
}

type Operation = (store: KeyStore, input: Input) => unknown;
const operations: Record<string, Operation> = { ...keyOperations, ...cryptoOperations };

const TARGET_PREFIX = 'TrentService.';
/** Far above any legal KMS request (blobs are at most 6 KiB); stops a runaway client early. */
const MAX_REQUEST_BYTES = 1024 * 1024;
const CONTENT_TYPE = 'application/x-amz-json-1.1';

async function readInput(request: IncomingMessage): Promise<Input> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new KmsError('ValidationException', 'Request too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KmsError('SerializationException', 'Request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KmsError('SerializationException', 'Request body must be a JSON object');
  }
  return parsed as Input;
}

function operationOf(request: IncomingMessage): Operation {
  const target = request.headers['x-amz-target'];
  const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
  if (request.method !== 'POST' || !operation) {
    throw new KmsError('UnknownOperationException', `Unknown operation ${String(target ?? '')}`);
  }
  return operation;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(payload);
}

async function handle(store: KeyStore, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const operation = operationOf(request);
    send(response, 200, operation(store, await readInput(request)));
  } catch (error) {
    // Only the error name and message go back; key material never appears in either.
    const known = error instanceof KmsError ? error : new KmsError('KMSInternalException', 'Internal error');
    send(response, known.statusCode, { __type: known.type, message: known.message });
  }
}

/** A local stand-in for AWS KMS (AWS JSON 1.1, `TrentService.*`) that `@aws-sdk/client-kms` talks to unchanged. */
export async function startLocalKms(options: LocalKmsOptions = {}): Promise<LocalKms> {
  const store = new KeyStore(options.region ?? 'eu-central-1', options.dataDir);
  const server = createServer((request, response) => void handle(store, request, response));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
