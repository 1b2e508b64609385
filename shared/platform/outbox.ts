import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { config } from './config.js';

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

/** What the relay (locally) or the pipe (in AWS) puts on the bus. */
export interface BusEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName: string;
}

export const OUTBOX_ENTITY = 'OutboxEvent';
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

/** The Put of a TransactWriteItems that publishes `event` together with the domain write. */
export function outboxPut(event: OutboxEvent) {
  return {
    Put: {
      TableName: config().tableName,
      Item: {
        PK: `OUTBOX#${event.detail.eventId}`,
        SK: 'OUTBOX',
        entityType: OUTBOX_ENTITY,
        source: event.source,
        detailType: event.detailType,
        detail: JSON.stringify(event.detail),
        expiresAt: Math.floor(Date.parse(event.detail.occurredAt) / 1000) + OUTBOX_RETENTION_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** Filter for stream records that carry an outbox row (the same test as the pipe's filter). */
export const outboxStreamFilter = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entityType: { S: [OUTBOX_ENTITY] } } },
} as const;

export function isOutboxImage(image: Record<string, AttributeValue> | undefined): boolean {
  return image?.entityType?.S === OUTBOX_ENTITY;
}

/** Turns a stream NewImage of an outbox row into a bus entry. */
export function busEntryFromImage(image: Record<string, AttributeValue>, eventBusName: string): BusEntry {
  const row = unmarshall(image) as { source: string; detailType: string; detail: string };
  return { Source: row.source, DetailType: row.detailType, Detail: row.detail, EventBusName: eventBusName };
}
