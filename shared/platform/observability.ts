import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One logger, tracer and metrics instance per function (module scope, so they survive warm starts).
 * Service name and namespace come from the POWERTOOLS_* environment the stack sets.
 */
export const logger = new Logger();
export const tracer = new Tracer();
export const metrics = new Metrics({ defaultDimensions: {} });
