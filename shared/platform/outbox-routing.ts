import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * The outbox row as the stream and the sweeper read it back, and the detail published for it (docs/decisions/0002-outbox-pipe.md).
 * Without the configuration (and so without zod): `functions/platform/outbox-enrich.ts` loads only this module (decision 0126).
 */

/** What the relay (locally) or the pipe (in AWS) puts on the bus. */
export interface BusEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName: string;
}

export const OUTBOX_ENTITY = 'OutboxEvent';

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
  return routedDetailFromRow(unmarshall(image) as OutboxRow);
}

/** An outbox row as read back from the table (the sweeper reads them from the due index). */
export interface OutboxRow {
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
}

export function routedDetailFromRow(row: OutboxRow): RoutedDetail {
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
  return busEntryFromRow(unmarshall(image) as OutboxRow, eventBusName);
}

export function busEntryFromRow(row: OutboxRow, eventBusName: string): BusEntry {
  const detail = routedDetailFromRow(row);
  return {
    Source: detail.outbox.source,
    DetailType: detail.outbox.detailType,
    Detail: JSON.stringify(detail),
    EventBusName: eventBusName,
  };
}
