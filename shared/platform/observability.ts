import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and metrics instance per function (module scope, so they survive warm starts). Service name
 * and namespace come from the POWERTOOLS_* environment the stack sets. Tracing is a deployment choice and
 * lives in shared/platform/tracing.ts (decision 0120).
 */
export const logger = new Logger();
export const metrics = new Metrics({ defaultDimensions: {} });
