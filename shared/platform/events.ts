import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { logger, metrics, tracer } from './observability.js';
import type { EventDetail } from './outbox.js';

export type BusEvent<D extends EventDetail = EventDetail> = EventBridgeEvent<string, D>;

/**
 * The middleware stack of every event consumer. Errors propagate so the bus retries and finally
 * parks the event in the consumer's dead-letter queue; consumers must be idempotent (by `detail.eventId`).
 */
export function eventHandler<D extends EventDetail = EventDetail>(run: (event: BusEvent<D>) => Promise<void>) {
  const core = async (event: BusEvent<D>, _context: Context): Promise<void> => {
    logger.appendKeys({ correlation_id: event.detail?.eventId ?? event.id, detail_type: event['detail-type'] });
    try {
      await run(event);
    } catch (error) {
      metrics.addMetric('EventsFailed', MetricUnit.Count, 1);
      throw error;
    }
    metrics.addMetric('EventsProcessed', MetricUnit.Count, 1);
  };
  return middy(core)
    // Never copy response bodies (decrypted data, reference tokens) into X-Ray segments.
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}
