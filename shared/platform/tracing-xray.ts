import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

/**
 * Loaded only when the function is built with tracing on (shared/platform/tracing.ts, decision 0120):
 * the one place that imports the X-Ray SDK. Module scope, so the tracer survives warm starts.
 */
export const tracer = new Tracer();

/** The handler's X-Ray segment; never with the response (decrypted data, reference tokens) in its metadata. */
export const captureHandler = () => captureLambdaHandler(tracer, { captureResponse: false });
