/**
 * The table kit against DynamoDB Local: cancelled transactions report what happened to each item, a
 * chunked write counts positions across its chunks, batch reads retry the keys DynamoDB leaves
 * unprocessed (that one fault injected by a wrapped client), queries follow their pages, and the one
 * retry policy retries what it may until it wins or gives up.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { dynamoClient } from '../../../shared/platform/clients.js';
import { config } from '../../../shared/platform/config.js';
import {
  batchGet,
  ConditionFailed,
  entity,
  type ItemKey,
  partition,
  queryAll,
  queryPage,
  retry,
  RowMismatch,
  type TableClient,
  tableName,
  transact,
  transactChunked,
  type TransactItem,
  UnprocessedKeys,
  useClient,
} from '../../../shared/platform/table/index.js';
import { uniqueTenant } from '../../support/api.js';
import { useLocalPlatformFromTests } from '../consent/support.js';

useLocalPlatformFromTests();
const tenant = uniqueTenant('kit');
const pk = (name: string) => `T#${tenant}#KIT#${name}`;
const put = (key: ItemKey, extra: Record<string, unknown> = {}, role: 'main' | 'keys' = 'main'): TransactItem => ({
  Put: { TableName: tableName(role), Item: { ...key, entityType: 'KitTest', ...extra }, ConditionExpression: 'attribute_not_exists(PK)' },
});
const check = (key: ItemKey): TransactItem => ({ ConditionCheck: { TableName: tableName('main'), Key: key, ConditionExpression: 'attribute_exists(PK)' } });

async function cancellation(work: () => Promise<unknown>): Promise<ConditionFailed> {
  const error = await work().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConditionFailed);
  return error as ConditionFailed;
}

afterAll(() => dynamoClient().destroy());

describe('transact', () => {
  it('names the outcome of every item of a cancelled transaction', async () => {
    const existing = { PK: pk('tx'), SK: 'A' };
    await transact([put(existing)]);
    const failed = await cancellation(() => transact([put({ PK: pk('tx'), SK: 'B' }), put(existing), check({ PK: pk('tx'), SK: 'missing' })]));
    expect(failed.outcomes).toEqual(['ok', 'condition', 'condition']);
    expect(failed.indexes).toEqual([1, 2]);
    expect(failed.failedAt(0)).toBe(false);
    expect(failed.failedIn(1, 1)).toBe(true);
    expect(failed.conflict).toBe(false);
    // Nothing of the cancelled transaction was written.
    const found = await batchGet([{ table: 'main', keys: [{ PK: pk('tx'), SK: 'B' }] }]);
    expect(found.get('main', { PK: pk('tx'), SK: 'B' })).toBeUndefined();
  });

  it('leaves guards out where the transaction writes the guarded item itself, and keeps them elsewhere', async () => {
    const item = { PK: pk('guard'), SK: 'NEW' };
    await transact([put(item)], [check(item)]); // the guard alone would fail: the item does not exist yet
    const failed = await cancellation(() => transact([put({ PK: pk('guard'), SK: 'OTHER' })], [check({ PK: pk('guard'), SK: 'GONE' })]));
    expect(failed.outcomes).toEqual(['ok', 'condition']);
  });

  it('writes past the item limit in chunks, the head last, and counts failed positions across the chunks', async () => {
    const head = [put({ PK: pk('chunk'), SK: 'HEAD' })];
    const tail = Array.from({ length: 150 }, (_, i) => put({ PK: pk('chunk'), SK: `T#${String(i).padStart(3, '0')}` }));
    await transactChunked(head, tail);
    expect(await queryAll('main', partition(pk('chunk')))).toHaveLength(151);

    const again = Array.from({ length: 150 }, (_, i) => put({ PK: pk('chunk2'), SK: `T#${String(i).padStart(3, '0')}` }));
    await transact([again[120]]);
    const failed = await cancellation(() => transactChunked([put({ PK: pk('chunk2'), SK: 'HEAD' })], again));
    expect(failed.indexes).toEqual([1 + 120]);
    const written = await queryAll('main', partition(pk('chunk2')));
    expect(written.map((row) => row.SK)).not.toContain('HEAD'); // the head never commits after a failed chunk
  });

  it('rethrows a cancellation that is neither a failed condition nor a lost race as DynamoDB threw it', async () => {
    const huge = 'x'.repeat(410 * 1024);
    const error = await transact([{ Put: { TableName: tableName('main'), Item: { PK: pk('big'), SK: 'A', huge } } }]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeDefined();
    expect(error).not.toBeInstanceOf(ConditionFailed);
  });
});

describe('batchGet', () => {
  const mainKeys = Array.from({ length: 130 }, (_, i) => ({ PK: pk('batch'), SK: `M#${i}` }));
  const keyKeys = Array.from({ length: 90 }, (_, i) => ({ PK: pk('batch'), SK: `K#${i}` }));

  beforeAll(async () => {
    await transactChunked([], mainKeys.map((key, i) => put(key, { n: i })));
    await transactChunked([], keyKeys.map((key, i) => put(key, { n: i }, 'keys')));
  });

  /** The real client, except that the first `faults` BatchGetItem answers leave half their keys unprocessed. */
  function throttling(faults: number): { client: TableClient; calls: () => number } {
    const real = dynamoClient();
    let calls = 0;
    const client = {
      send: async (command: unknown) => {
        if (!(command instanceof BatchGetCommand)) return real.send(command as never);
        calls++;
        if (calls > faults) return real.send(command);
        const request = command.input.RequestItems!;
        const kept: typeof request = {};
        const left: typeof request = {};
        for (const [table, entry] of Object.entries(request)) {
          const half = Math.ceil(entry.Keys!.length / 2);
          kept[table] = { ...entry, Keys: entry.Keys!.slice(0, half) };
          if (entry.Keys!.length > half) left[table] = { ...entry, Keys: entry.Keys!.slice(half) };
        }
        const out = await real.send(new BatchGetCommand({ RequestItems: kept }));
        return { ...out, UnprocessedKeys: left };
      },
    } as TableClient;
    return { client, calls: () => calls };
  }

  it('reads both tables in calls of at most 100 keys, duplicates once', async () => {
    const found = await batchGet([
      { table: 'main', keys: [...mainKeys, ...mainKeys.slice(0, 10)] },
      { table: 'keys', keys: keyKeys },
    ]);
    expect(found.rows('main')).toHaveLength(130);
    expect(found.rows('keys')).toHaveLength(90);
    expect(found.get('main', mainKeys[129])?.n).toBe(129);
    expect(found.get('keys', keyKeys[5])?.n).toBe(5);
    expect(found.get('main', keyKeys[5])).toBeUndefined(); // the same key in the other table is another item
  });

  it('retries the keys DynamoDB leaves unprocessed until every one is read', async () => {
    const { client, calls } = throttling(3);
    const restore = useClient(client);
    try {
      const found = await batchGet([{ table: 'main', keys: mainKeys }, { table: 'keys', keys: keyKeys }]);
      expect(found.rows('main')).toHaveLength(130);
      expect(found.rows('keys')).toHaveLength(90);
      expect(calls()).toBeGreaterThan(3);
    } finally {
      restore();
    }
  });

  it('gives up with UnprocessedKeys when DynamoDB keeps leaving keys unprocessed', async () => {
    const { client, calls } = throttling(Number.POSITIVE_INFINITY);
    const restore = useClient(client);
    try {
      await expect(batchGet([{ table: 'main', keys: mainKeys.slice(0, 20) }], { tries: 3, baseMs: 1, capMs: 2 })).rejects.toBeInstanceOf(UnprocessedKeys);
      expect(calls()).toBe(3);
    } finally {
      restore();
    }
  });

  it('reads only the attributes asked for', async () => {
    const found = await batchGet([{ table: 'main', keys: mainKeys.slice(0, 2), attributes: ['PK', 'SK'] }]);
    expect(found.get('main', mainKeys[0])).toEqual(mainKeys[0]);
  });
});

describe('queries', () => {
  beforeAll(() => transactChunked([], Array.from({ length: 25 }, (_, i) => put({ PK: pk('query'), SK: `Q#${String(i).padStart(2, '0')}` }, { n: i }))));

  it('follow every page to the end of the partition', async () => {
    const rows = await queryAll('main', { ...partition(pk('query'), 'Q#'), Limit: 4 });
    expect(rows.map((row) => row.n)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('stop at a maximum, and a page continues where the last one ended', async () => {
    expect((await queryAll('main', partition(pk('query')), 7)).map((row) => row.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const first = await queryPage('main', { ...partition(pk('query')), Limit: 10 });
    const second = await queryPage('main', { ...partition(pk('query')), Limit: 10 }, first.lastKey);
    expect(second.rows[0].n).toBe(10);
    const last = await queryPage('main', { ...partition(pk('query')), Limit: 10 }, (await queryPage('main', { ...partition(pk('query')), Limit: 20 })).lastKey);
    expect(last.rows.map((row) => row.n)).toEqual([20, 21, 22, 23, 24]);
  });
});

describe('retry', () => {
  const lost = new ConditionFailed(['conflict']);

  it('retries a lost race until it wins', async () => {
    let attempts = 0;
    const result = await retry(async () => (++attempts < 5 ? Promise.reject(lost) : 'won'), { retryable: (e) => e instanceof ConditionFailed, policy: { baseMs: 1, capMs: 2 } });
    expect({ result, attempts }).toEqual({ result: 'won', attempts: 5 });
  });

  it('gives up after the policy’s tries with the error it names, and never retries what it may not', async () => {
    let attempts = 0;
    await expect(retry(async () => { attempts++; throw lost; }, { retryable: () => true, exhausted: () => new Error('busy'), policy: { tries: 4, baseMs: 1, capMs: 1 } })).rejects.toThrow('busy');
    expect(attempts).toBe(4);
    attempts = 0;
    await expect(retry(async () => { attempts++; throw new Error('broken'); }, { retryable: (e) => e instanceof ConditionFailed })).rejects.toThrow('broken');
    expect(attempts).toBe(1);
  });
});

describe('entity', () => {
  const thing = entity({
    type: 'KitThing',
    table: 'main',
    key: (id: string) => ({ PK: pk('entity'), SK: `THING#${id}` }),
    row: z.looseObject({ id: z.string(), size: z.number() }),
  });

  it('parses a stored row into its typed record and refuses one that does not match', () => {
    expect(thing.parse({ ...thing.key('a'), id: 'a', size: 3 })).toMatchObject({ id: 'a', size: 3 });
    expect(() => thing.parse({ ...thing.key('b'), id: 'b', size: 'large' })).toThrow(RowMismatch);
    expect(config().tableName).toBe(tableName('main'));
  });
});
