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

/**
 * Every published detail carries its routing in one reserved member, `outbox: {source, detailType}`:
 * in AWS the pipe's enrichment returns the detail object and the pipe's bus target reads `source` and
 * `detail-type` from these JSON paths (docs/decisions/0002-outbox-pipe.md). The local relay publishes
 * the very same detail, so consumers see identical events in both places.
 */
export const OUTBOX_ROUTING_MEMBER = 'outbox';
export const pipeTargetPaths = {
  source: `$.${OUTBOX_ROUTING_MEMBER}.source`,
  detailType: `$.${OUTBOX_ROUTING_MEMBER}.detailType`,
} as const;

export interface RoutedDetail {
  readonly [field: string]: unknown;
  readonly outbox: { readonly source: string; readonly detailType: string };
}

/** The detail object the pipe (enrichment) and the local relay publish for an outbox row. */
export function routedDetailFromImage(image: Record<string, AttributeValue>): RoutedDetail {
  const row = unmarshall(image) as { source: string; detailType: string; detail: string };
  const detail: unknown = JSON.parse(row.detail);
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    throw new Error(`Outbox ${row.detailType} detail is not a JSON object`);
  }
  if (OUTBOX_ROUTING_MEMBER in detail) {
    throw new Error(`Outbox ${row.detailType} detail already has a member '${OUTBOX_ROUTING_MEMBER}'`);
  }
  return { ...detail, outbox: { source: row.source, detailType: row.detailType } };
}

/** The PutEvents entry for an outbox row (what the pipe's bus target puts, locally the relay). */
export function busEntryFromImage(image: Record<string, AttributeValue>, eventBusName: string): BusEntry {
  const detail = routedDetailFromImage(image);
  return {
    Source: detail.outbox.source,
    DetailType: detail.outbox.detailType,
    Detail: JSON.stringify(detail),
    EventBusName: eventBusName,
  };
}
