import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { config } from '../../shared/platform/config.js';
import { busEntryFromImage, isOutboxImage } from '../../shared/platform/outbox.js';

/**
 * Enrichment of the outbox pipe (DynamoDB stream -> EventBridge Pipes -> bus), see
 * docs/decisions/0002-outbox-pipe.md. Pipes cannot turn the row's `detail` string attribute into a JSON
 * object, so this function does, with the same `busEntryFromImage` the local relay uses.
 *
 * A pipe with an event bus target puts each returned object into the event's `detail` as it is, and
 * takes `source` and `detail-type` from JSON paths into that same object; those two values therefore
 * travel in one reserved member, `outbox`, next to the domain fields.
 */

/** A DynamoDB stream record as Pipes hands it over (the batch arrives as a JSON array of these). */
export interface OutboxStreamRecord {
  readonly eventName?: string;
  readonly dynamodb?: { readonly NewImage?: Record<string, AttributeValue> };
}

/** The reserved member of every detail published through the pipe. */
export const OUTBOX_ROUTING_MEMBER = 'outbox';

/** The pipe's target parameters point here (`EventBridgeEventBusParameters.Source` / `.DetailType`). */
export const pipeTargetPaths = {
  source: `$.${OUTBOX_ROUTING_MEMBER}.source`,
  detailType: `$.${OUTBOX_ROUTING_MEMBER}.detailType`,
} as const;

export interface PipeBusEvent {
  readonly [field: string]: unknown;
  readonly outbox: { readonly source: string; readonly detailType: string };
}

export function pipeEventFromImage(image: Record<string, AttributeValue>, eventBusName: string): PipeBusEvent {
  const entry = busEntryFromImage(image, eventBusName);
  const detail: unknown = JSON.parse(entry.Detail);
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    throw new Error(`Outbox ${entry.DetailType} detail is not a JSON object`);
  }
  if (OUTBOX_ROUTING_MEMBER in detail) {
    throw new Error(`Outbox ${entry.DetailType} detail already has a member '${OUTBOX_ROUTING_MEMBER}'`);
  }
  return { ...detail, outbox: { source: entry.Source, detailType: entry.DetailType } };
}

/**
 * Records that are not outbox rows are dropped (the pipe's filter already excludes them; this is the
 * second line). A malformed row throws: the pipe retries, bisects the batch and finally parks the
 * record in its dead-letter queue instead of publishing something consumers cannot read.
 */
export const handler = async (records: readonly OutboxStreamRecord[]): Promise<PipeBusEvent[]> => {
  const { eventBusName } = config();
  return records.flatMap((record) => {
    const image = record.dynamodb?.NewImage;
    return image && isOutboxImage(image) ? [pipeEventFromImage(image, eventBusName)] : [];
  });
};
