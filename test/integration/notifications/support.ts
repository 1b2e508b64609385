import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { LOCAL_NAMES } from '../../../infra/local/names.js';
import type { PartnerNoticeDetail } from '../../../shared/notifications/deliveries.js';
import { NOTIFICATIONS_MANAGE } from '../../../shared/platform/scopes.js';
import { tokenFor } from '../../support/api.js';

/**
 * A partner's webhook receiver as a real HTTP server on loopback (the local runtime allows loopback
 * endpoints by configuration), and `PartnerNotice`s put on the local bus with the real SDK.
 */
export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: Record<string, unknown>;
  readonly at: number;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Deliveries only (not the registration's verification ping). */
  notices(): Received[];
  /** What the receiver answers from now on. */
  answer(status: number): void;
  close(): Promise<void>;
}

export async function startReceiver(status = 204): Promise<Receiver> {
  const received: Received[] = [];
  let answer = status;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // recorded as received; the test decides
      }
      received.push({ headers: req.headers, body, json, at: Date.now() });
      // The verification ping always passes: registration is not what the failing receiver tests.
      res.statusCode = json.notice === 'subscription.verification' ? 204 : answer;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/mydata`,
    received,
    notices: () => received.filter((r) => r.json.notice !== 'subscription.verification'),
    answer: (next) => {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const partnerToken = (tenant: string, partner: string, scope = NOTIFICATIONS_MANAGE) => tokenFor({ principal: 'partner', tenant, partner, sub: `svc-${partner}`, scope });

type Notice = Omit<PartnerNoticeDetail, 'eventId' | 'occurredAt' | 'causeEventId'> & Partial<Pick<PartnerNoticeDetail, 'eventId' | 'causeEventId'>>;

/** Puts PartnerNotices on the local bus as the outbox pipe would (with the reserved routing member). */
export async function putNotices(eventsUrl: string, notices: readonly Notice[]): Promise<PartnerNoticeDetail[]> {
  const client = new EventBridgeClient({ endpoint: eventsUrl, region: LOCAL_NAMES.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const details = notices.map((notice) => ({ eventId: randomUUID(), causeEventId: randomUUID(), occurredAt: new Date().toISOString(), ...notice }));
  try {
    const out = await client.send(
      new PutEventsCommand({
        Entries: details.map((detail) => ({
          EventBusName: LOCAL_NAMES.eventBusName,
          Source: 'mydata.profile',
          DetailType: 'PartnerNotice',
          Detail: JSON.stringify({ ...detail, outbox: { source: 'mydata.profile', detailType: 'PartnerNotice' } }),
        })),
      }),
    );
    if (out.FailedEntryCount) throw new Error(`PutEvents failed for ${out.FailedEntryCount} entries`);
  } finally {
    client.destroy();
  }
  return details;
}

/** Waits until `list()` holds at least `count` entries (deliveries are asynchronous), then answers them. */
export async function waitForCount<T>(list: () => T[], count: number, timeoutMs = 15_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  while (list().length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} entries, have ${list().length}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return list();
}
