import * as z from 'zod/mini';
import type { IndexDesign } from '../platform/table-design.js';
import { queryPage, type Row } from '../platform/table/index.js';

/**
 * One page over a partition spread across shards (decision 0412): the shards are read one after the other,
 * each from where the last page stopped, until the page is full or every shard is read. The position is
 * small whatever the shard count (the shard and one sort key), so it fits a cursor; a page costs at most
 * `shards` Queries (16, each a few ms, only while shards run empty) and reads at most `limit` rows.
 */
export const shardPosition = z.object({
  s: z.int().check(z.minimum(0), z.maximum(63)),
  k: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});
export type ShardPosition = z.infer<typeof shardPosition>;

export interface ShardedQuery {
  readonly shards: number;
  readonly partition: (shard: number) => string;
  readonly index?: IndexDesign;
  /** Sort keys from (inclusive) and to (inclusive). */
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
}

export async function shardedPage(query: ShardedQuery, position: ShardPosition = { s: 0 }): Promise<{ rows: Row[]; next?: ShardPosition }> {
  const pk = query.index?.partitionKey ?? 'PK';
  const sk = query.index?.sortKey ?? 'SK';
  const rows: Row[] = [];
  let shard = position.s;
  let after = position.k;
  while (shard < query.shards) {
    const lower = after !== undefined ? `${after}\u0000` : query.from;
    const values: Record<string, string> = { ':pk': query.partition(shard) };
    let range = '';
    if (lower !== undefined && query.to !== undefined) {
      if (lower > query.to) range = 'skip';
      else { range = ' AND #sk BETWEEN :lo AND :hi'; values[':lo'] = lower; values[':hi'] = query.to; }
    } else if (lower !== undefined) { range = ' AND #sk >= :lo'; values[':lo'] = lower; }
    else if (query.to !== undefined) { range = ' AND #sk <= :hi'; values[':hi'] = query.to; }
    if (range !== 'skip') {
      const page = await queryPage('main', {
        ...(query.index ? { IndexName: query.index.name } : {}),
        KeyConditionExpression: `#pk = :pk${range}`,
        ExpressionAttributeNames: { '#pk': pk, ...(range ? { '#sk': sk } : {}) },
        ExpressionAttributeValues: values,
        Limit: query.limit - rows.length,
      });
      rows.push(...page.rows);
      if (page.lastKey) return { rows, next: { s: shard, k: String((page.lastKey as Row)[sk]) } };
    }
    shard += 1;
    after = undefined;
    if (rows.length >= query.limit) break;
  }
  return shard < query.shards ? { rows, next: { s: shard } } : { rows };
}
