import middy from '@middy/core';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import type * as z from 'zod/mini';
import { type BusDetailOf, type EventDefinition, parseDetail } from './event-schema.js';
import { injectLambdaContext, logger, logMetrics, MetricUnit, metrics } from './observability.js';
import { tracingMiddlewares } from './tracing.js';

export type BusEvent<D> = EventBridgeEvent<string, D>;

/** What a consumer reads: one producer's event (its declaration), or a schema of its own (e.g. any outbox event). */
export type Expected = EventDefinition | z.ZodMiniType<{ eventId: string; tenant: string }>;
type Received<E extends Expected> = E extends EventDefinition ? BusDetailOf<E> : E extends z.ZodMiniType ? z.infer<E> : never;

const isDefinition = (expected: Expected): expected is EventDefinition => 'detailType' in expected;

/**
 * The middleware stack of every event consumer. The detail is parsed with the producer's declaration
 * (`shared/<context>/events.ts`) before `run` sees it, including the routing member that must repeat the
 * envelope's source and detail-type: a malformed detail throws like any other failure (decision 0080).
 * Errors propagate so the bus retries and finally parks the event in the consumer's dead-letter queue;
 * consumers must be idempotent (by `detail.eventId`).
 */
export function eventHandler<E extends Expected>(expected: E, run: (event: BusEvent<Received<E>>) => Promise<void>) {
  const schema: z.ZodMiniType = isDefinition(expected) ? expected.busDetail : expected;
  const core = async (event: BusEvent<unknown>, _context: Context): Promise<void> => {
    const raw = event.detail as { eventId?: unknown } | undefined;
    logger.appendKeys({ correlation_id: typeof raw?.eventId === 'string' ? raw.eventId : event.id, detail_type: event['detail-type'] });
    try {
      if (isDefinition(expected) && (event.source !== expected.source || event['detail-type'] !== expected.detailType)) {
        throw new Error(`Expected ${expected.source} ${expected.detailType}, received ${event.source} ${event['detail-type']}`);
      }
      const detail = parseDetail(schema, event.detail, `${event.source} ${event['detail-type']}`) as Received<E>;
      await run({ ...event, detail });
    } catch (error) {
      metrics.addMetric('EventsFailed', MetricUnit.Count, 1);
      throw error;
    }
    metrics.addMetric('EventsProcessed', MetricUnit.Count, 1);
  };
  return middy(core)
    // The X-Ray SDK's handler segment only in functions built with tracing on (decision 0120).
    .use(tracingMiddlewares())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}
