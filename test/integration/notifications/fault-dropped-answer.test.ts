import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postSigned } from '../../../shared/notifications/transport.js';
import { useLocalPlatformFromTests } from '../consent/support.js';

/**
 * Fault F5 (decision 0424): the status decides an attempt. A receiver that sends its status line and then drops
 * the connection mid-body has answered: 200 → delivered, 503 → failed with that status. A connection dropped
 * before any status is a network failure. Real HTTP servers on loopback (allowed locally by configuration).
 */
const servers: Server[] = [];

beforeAll(() => {
  process.env.NOTIFICATION_ALLOW_LOOPBACK = 'true';
  useLocalPlatformFromTests();
});
afterAll(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

/** A receiver that reads the request and then does `answer` with the raw socket. */
async function receiver(answer: (socket: import('node:net').Socket) => void): Promise<string> {
  const server = createServer((req) => {
    req.resume();
    req.on('end', () => answer(req.socket));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/mydata`;
}

const post = (url: string) => postSigned({ url, body: '{"notice":"data.created"}', secrets: ['whsec_test'], deliveryId: 'd-1', nowSeconds: Math.floor(Date.now() / 1000) });
const cutOff = (status: string) => (socket: import('node:net').Socket) => {
  // The status line and headers promise 100 bytes; 10 arrive, then the connection is gone.
  socket.write(`HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\ncontent-length: 100\r\n\r\n0123456789`);
  setTimeout(() => socket.destroy(), 20);
};

describe('the status decides an attempt', () => {
  it('200 and then the connection dropped mid-body: delivered', async () => {
    expect(await post(await receiver(cutOff('200 OK')))).toEqual({ ok: true, status: 200 });
  });

  it('503 and then the connection dropped mid-body: failed with that status', async () => {
    expect(await post(await receiver(cutOff('503 Service Unavailable')))).toEqual({ ok: false, status: 503, reason: 'status' });
  });

  it('the connection dropped before any status: a network failure', async () => {
    expect(await post(await receiver((socket) => socket.destroy()))).toEqual({ ok: false, reason: 'network' });
  });
});
