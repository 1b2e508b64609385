import { randomUUID } from 'node:crypto';
import { config } from './config.js';
import { OUTBOX_ENTITY } from './outbox-routing.js';

/**
 * Reading outbox rows back (the stream filter, the routed detail the pipe's enrichment and the local relay
 * publish) lives in outbox-routing.ts, which loads neither the configuration nor zod: the enrichment function
 * imports only that (decision 0126). Re-exported here for everyone else.
 */
export * from './outbox-routing.js';

export type EventSource = 'mydata.platform' | 'mydata.consent' | 'mydata.partner' | 'mydata.profile';

/** Every event detail names its tenant and carries an id and a time (consumers deduplicate by id). */
export interface EventDetail {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly tenant: string;
  readonly [field: string]: unknown;
}

export interface OutboxEvent {
  readonly source: EventSource;
  readonly detailType: string;
  readonly detail: EventDetail;
}

/** Outbox rows are only a hand-over to the stream; TTL removes them after a week. */
const OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600;

export function domainEvent(
  source: EventSource,
  detailType: string,
  detail: { tenant: string; [field: string]: unknown },
  now: Date = new Date(),
): OutboxEvent {
  return { source, detailType, detail: { ...detail, eventId: randomUUID(), occurredAt: now.toISOString() } };
}

/**
 * Delivery guarantee (docs/delivery.md, decision 0030): every outbox row is born *unconfirmed*, i.e. in
 * the sparse index `GSI1` under `OUTBOX#DUE#<shard>` with the time it is due for a re-publish as sort
 * key. Confirmation removes it from the index: the `ConfirmOutboxEvent` consumer does so when the event
 * reached the bus, or - for a row marked `confirmBy: consumer` - the consumer that finishes its work.
 * The sweeper re-publishes what is still in the index after its due time. The index key is spread
 * over `OUTBOX_DUE_SHARDS` partitions so a burst of events never makes one hot partition.
 */
export const OUTBOX_DUE_SHARDS = 8;
/** How long a row may stay unconfirmed before the sweeper re-publishes it. */
export const OUTBOX_REPUBLISH_AFTER_MS = 2 * 60 * 1000;

export const outboxKey = (eventId: string) => ({ PK: `OUTBOX#${eventId}`, SK: 'OUTBOX' });
export const outboxDuePartition = (shard: number) => `OUTBOX#DUE#${shard}`;
export const outboxDueShard = (eventId: string) => Number.parseInt(eventId.replace(/[^0-9a-f]/gi, '').slice(0, 4) || '0', 16) % OUTBOX_DUE_SHARDS;
export const outboxDueSortKey = (due: Date, eventId: string) => `${due.toISOString()}#${eventId}`;

export interface OutboxPutOptions {
  /**
   * `consumer`: arriving on the bus does not confirm the row; the consumer that completes the work does
   * (`confirmOutboxEvent(eventId, 'consumer')`). Used where an event must end in a state change, e.g.
   * `ConsentReferenceRequested`: a consumer that dead-lettered is retried by the sweeper.
   */
  readonly confirmBy?: 'bus' | 'consumer';
}

/** The Put of a TransactWriteItems that publishes `event` together with the domain write. */
export function outboxPut(event: OutboxEvent, options: OutboxPutOptions = {}) {
  const occurred = Date.parse(event.detail.occurredAt);
  return {
    Put: {
      TableName: config().tableName,
      Item: {
        ...outboxKey(event.detail.eventId),
        entityType: OUTBOX_ENTITY,
        source: event.source,
        detailType: event.detailType,
        detail: JSON.stringify(event.detail),
        expiresAt: Math.floor(occurred / 1000) + OUTBOX_RETENTION_SECONDS,
        GSI1PK: outboxDuePartition(outboxDueShard(event.detail.eventId)),
        GSI1SK: outboxDueSortKey(new Date(occurred + OUTBOX_REPUBLISH_AFTER_MS), event.detail.eventId),
        ...(options.confirmBy === 'consumer' ? { confirmBy: 'consumer' } : {}),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** Marks an outbox put as confirmed by its consumer (see `OutboxPutOptions.confirmBy`). */
export function confirmedByConsumer<T extends ReturnType<typeof outboxPut>>(put: T): T {
  return { ...put, Put: { ...put.Put, Item: { ...put.Put.Item, confirmBy: 'consumer' } } };
}
