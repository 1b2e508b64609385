/**
 * The local bus through the real AWS SDK client: what handlers and the outbox relay will see.
 */
import { randomUUID } from 'node:crypto';
import { get } from 'node:http';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { startLocalEventBridge, type EventEnvelope, type LocalRule } from '../../infra/local/eventbridge/server.js';

const BUS = 'mydata-local-test';
const source = `test.${randomUUID()}`; // unique per run, like a tenant

type Bridge = Awaited<ReturnType<typeof startLocalEventBridge>>;
const running: Bridge[] = [];
const clients: EventBridgeClient[] = [];

async function start(rules: LocalRule[]) {
  const bridge = await startLocalEventBridge({ rules, busName: BUS, retry: { attempts: 3, baseDelayMs: 5 } });
  running.push(bridge);
  const client = new EventBridgeClient({
    endpoint: bridge.url,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  clients.push(client);
  return { bridge, client };
}

afterEach(async () => {
  clients.splice(0).forEach((client) => client.destroy());
  await Promise.all(running.splice(0).map((bridge) => bridge.stop()));
});

const entry = (detailType: string, detail: object, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: source,
  DetailType: detailType,
  Detail: JSON.stringify(detail),
  EventBusName: BUS,
  ...extra,
});

/** A plain GET without keep-alive, so no pooled socket outlives the bus under test. */
function getJson<T>(url: string): Promise<T> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve(JSON.parse(body) as T));
    }).on('error', reject);
  });
}

function recorder() {
  const received: EventEnvelope[] = [];
  return { received, target: async (event: EventEnvelope) => void received.push(event) };
}

describe('local EventBridge', () => {
  test('delivers an event only to the rules whose pattern matches it', async () => {
    const granted = recorder();
    const revoked = recorder();
    const { bridge, client } = await start([
      { id: 'OnConsentGranted', pattern: { source: [source], 'detail-type': ['ConsentGranted'] }, target: granted.target },
      { id: 'OnConsentRevoked', pattern: { source: [source], 'detail-type': ['ConsentRevoked'] }, target: revoked.target },
    ]);

    const out = await client.send(new PutEventsCommand({ Entries: [entry('ConsentGranted', { tenant: 't1' })] }));
    await bridge.idle();

    expect(out.FailedEntryCount).toBe(0);
    expect(granted.received.map((e) => e.id)).toEqual([out.Entries?.[0]?.EventId]);
    expect(revoked.received).toEqual([]);
  });

  test('wraps each entry in the EventBridge envelope', async () => {
    const seen = recorder();
    const { bridge, client } = await start([{ id: 'All', pattern: { source: [source] }, target: seen.target }]);

    const time = new Date('2026-03-01T10:20:30.456Z');
    const out = await client.send(
      new PutEventsCommand({ Entries: [entry('ProfileShared', { tenant: 't1', n: 1 }, { Time: time, Resources: ['arn:x'] })] }),
    );
    await bridge.idle();

    expect(seen.received).toEqual([
      {
        version: '0',
        id: out.Entries?.[0]?.EventId,
        'detail-type': 'ProfileShared',
        source,
        account: '000000000000',
        time: '2026-03-01T10:20:30Z',
        region: 'eu-central-1',
        resources: ['arn:x'],
        detail: { tenant: 't1', n: 1 },
      },
    ]);
    expect(bridge.events().map((e) => e.id)).toEqual([out.Entries?.[0]?.EventId]);
    const archived = await getJson<EventEnvelope[]>(`${bridge.url}/_local/events`);
    expect(archived[0]?.detail).toEqual({ tenant: 't1', n: 1 });
  });

  test('fails bad entries one by one and delivers the good ones of the same call', async () => {
    const seen = recorder();
    const { bridge, client } = await start([{ id: 'All', pattern: { source: [source] }, target: seen.target }]);

    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          entry('Good', { ok: true }),
          { Source: source, DetailType: 'NoDetail', EventBusName: BUS },
          entry('ArrayDetail', {}, { Detail: '[1, 2]' }),
          entry('NotJson', {}, { Detail: 'not json' }),
          { DetailType: 'NoSource', Detail: '{}', EventBusName: BUS },
          entry('OtherBus', {}, { EventBusName: 'someone-elses-bus' }),
        ],
      }),
    );
    await bridge.idle();

    expect(out.FailedEntryCount).toBe(5);
    expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'ok', 'InvalidArgument', 'MalformedDetail', 'MalformedDetail', 'InvalidArgument', 'ResourceNotFoundException',
    ]);
    expect(out.Entries?.[1]?.ErrorMessage).toMatch(/Detail is a required argument/);
    expect(seen.received.map((e) => e['detail-type'])).toEqual(['Good']);
  });

  test('rejects a call with more than 10 entries or more than 256 KB as a ValidationException', async () => {
    const seen = recorder();
    const { bridge, client } = await start([{ id: 'All', pattern: { source: [source] }, target: seen.target }]);

    const eleven = Array.from({ length: 11 }, (_, i) => entry('Many', { i }));
    await expect(client.send(new PutEventsCommand({ Entries: eleven }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/less than or equal to 10/),
    });
    const huge = entry('Huge', { blob: 'x'.repeat(256 * 1024) });
    await expect(client.send(new PutEventsCommand({ Entries: [huge] }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(client.send(new PutEventsCommand({ Entries: [] }))).rejects.toMatchObject({ name: 'ValidationException' });

    await bridge.idle();
    expect(seen.received).toEqual([]);
    expect(bridge.events()).toEqual([]);
  });

  test('retries a failing target and delivers once it recovers', async () => {
    let calls = 0;
    const seen = recorder();
    const flaky = async (event: EventEnvelope) => {
      calls += 1;
      if (calls <= 2) throw new Error(`transient failure ${calls}`);
      await seen.target(event);
    };
    const { bridge, client } = await start([{ id: 'Flaky', pattern: { source: [source] }, target: flaky }]);

    await client.send(new PutEventsCommand({ Entries: [entry('Retried', {})] }));
    await bridge.idle();

    expect(calls).toBe(3);
    expect(seen.received).toHaveLength(1);
    expect(bridge.deadLetters()).toEqual([]);
  });

  test('parks an event in the dead letters after the last attempt and lists it over HTTP', async () => {
    let calls = 0;
    const broken = async () => {
      calls += 1;
      throw new Error('consumer is broken');
    };
    const { bridge, client } = await start([{ id: 'Broken', pattern: { source: [source] }, target: broken }]);

    const out = await client.send(new PutEventsCommand({ Entries: [entry('Doomed', { tenant: 't1' })] }));
    await bridge.idle();

    expect(calls).toBe(3);
    const listed = await getJson<Array<Record<string, unknown>>>(`${bridge.url}/_local/dead-letters`);
    expect(listed).toEqual([
      {
        ruleId: 'Broken',
        event: expect.objectContaining({ id: out.Entries?.[0]?.EventId, detail: { tenant: 't1' } }),
        errorMessage: 'consumer is broken',
        attempts: 3,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
  });

  test('answers PutEvents before a slow target has finished', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const slow = async () => {
      await gate;
      finished = true;
    };
    const { bridge, client } = await start([{ id: 'Slow', pattern: { source: [source] }, target: slow }]);

    const out = await client.send(new PutEventsCommand({ Entries: [entry('Slow', {})] }));

    expect(out.FailedEntryCount).toBe(0);
    expect(finished).toBe(false);
    release();
    await bridge.idle();
    expect(finished).toBe(true);
  });

  test('stop waits for deliveries still in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { bridge, client } = await start([{ id: 'Slow', pattern: { source: [source] }, target: () => gate }]);
    await client.send(new PutEventsCommand({ Entries: [entry('Slow', {})] }));

    let stopped = false;
    const stopping = bridge.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
  });

  test('refuses to start with a malformed rule pattern', async () => {
    await expect(
      startLocalEventBridge({ rules: [{ id: 'Bad', pattern: { source: [{ prefix: 1 }] }, target: async () => {} }] }),
    ).rejects.toThrow(/Rule "Bad": Event pattern is not valid/);
  });
});
