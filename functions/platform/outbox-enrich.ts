import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { isOutboxImage, routedDetailFromImage, type RoutedDetail } from '../../shared/platform/outbox-routing.js';

export { pipeTargetPaths } from '../../shared/platform/outbox-routing.js';

/**
 * Enrichment of the outbox pipe (DynamoDB stream -> EventBridge Pipes -> bus), see
 * docs/decisions/0002-outbox-pipe.md. Pipes cannot turn the row's `detail` string attribute into a JSON
 * object, so this function does, with the same `routedDetailFromImage` the local relay uses; the pipe's
 * bus target takes `source` and `detail-type` from the detail's reserved `outbox` member.
 */

/** A DynamoDB stream record as Pipes hands it over (the batch arrives as a JSON array of these). */
export interface OutboxStreamRecord {
  readonly eventName?: string;
  readonly dynamodb?: { readonly NewImage?: Record<string, AttributeValue> };
}

/**
 * Records that are not outbox rows are dropped (the pipe's filter already excludes them; this is the
 * second line). A malformed row throws: the pipe retries, bisects the batch and finally parks the
 * record in its dead-letter queue instead of publishing something consumers cannot read.
 */
export const handler = async (records: readonly OutboxStreamRecord[]): Promise<RoutedDetail[]> =>
  records.flatMap((record) => {
    const image = record.dynamodb?.NewImage;
    return image && isOutboxImage(image) ? [routedDetailFromImage(image)] : [];
  });
