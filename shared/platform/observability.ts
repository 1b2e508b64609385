import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * One logger and metrics instance per function (module scope, so they survive warm starts): Powertools'
 * log record and its EMF metrics, in the few lines the platform uses (decision 0120). Powertools Logger
 * and Metrics with their commons added about 34 KiB to every bundle and most functions over the +100 KiB
 * budget; the X-Ray SDK is a deployment choice in shared/platform/tracing.ts.
 *
 * Configured like Powertools, from the environment the stack sets: POWERTOOLS_SERVICE_NAME,
 * POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL (or AWS_LAMBDA_LOG_LEVEL; DEBUG, INFO, WARN, ERROR,
 * CRITICAL, SILENT; default INFO), POWERTOOLS_METRICS_DISABLED.
 */

const LEVELS = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
type Level = Exclude<keyof typeof LEVELS, 'SILENT'>;

const service = () => process.env.POWERTOOLS_SERVICE_NAME || 'service_undefined';

/** `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=…;Sampled=1` → the root id, as Powertools logs it. */
function xrayTraceId(): string | undefined {
  const header = process.env._X_AMZN_TRACE_ID;
  return header ? /Root=([^;]+)/.exec(header)?.[1] : undefined;
}

function errorAttributes(error: Error): Record<string, unknown> {
  const location = /\(([^)]+)\)/.exec(error.stack?.split('\n')[1] ?? '')?.[1] ?? '';
  return { name: error.name, location, message: error.message, stack: error.stack, ...(error.cause ? { cause: String(error.cause) } : {}) };
}

type Extra = Record<string, unknown> | Error | string | undefined;

export class Logger {
  private readonly threshold: number;
  private keys: Record<string, unknown> = {};
  private lambda: Record<string, unknown> = {};
  private coldStart = true;

  constructor() {
    const level = (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toUpperCase();
    this.threshold = LEVELS[level as keyof typeof LEVELS] ?? LEVELS.INFO;
  }

  debug(message: string, ...extras: Extra[]): void {
    this.log('DEBUG', message, extras);
  }
  info(message: string, ...extras: Extra[]): void {
    this.log('INFO', message, extras);
  }
  warn(message: string, ...extras: Extra[]): void {
    this.log('WARN', message, extras);
  }
  error(message: string, ...extras: Extra[]): void {
    this.log('ERROR', message, extras);
  }

  /** Keys added to every following record until the next invocation (`resetKeys`). */
  appendKeys(keys: Record<string, unknown>): void {
    Object.assign(this.keys, keys);
  }

  resetKeys(): void {
    this.keys = {};
  }

  /** The invocation's Lambda context, as Powertools' injectLambdaContext adds it. */
  addContext(context: Context): void {
    this.lambda = {
      cold_start: this.coldStart,
      function_arn: context.invokedFunctionArn,
      function_memory_size: context.memoryLimitInMB,
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
    };
    this.coldStart = false;
  }

  private log(level: Level, message: string, extras: Extra[]): void {
    if (LEVELS[level] < this.threshold) return;
    const record: Record<string, unknown> = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: service(),
      ...this.lambda,
      sampling_rate: 0,
      xray_trace_id: xrayTraceId(),
      ...this.keys,
    };
    for (const extra of extras) {
      if (extra instanceof Error) record.error = errorAttributes(extra);
      else if (typeof extra === 'string') record.extra = extra;
      else if (extra) Object.assign(record, extra);
    }
    const line = JSON.stringify(record, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
    (level === 'ERROR' ? console.error : level === 'WARN' ? console.warn : level === 'DEBUG' ? console.debug : console.info)(line);
  }
}

/** The units the platform uses (CloudWatch's names). */
export const MetricUnit = { Count: 'Count', Milliseconds: 'Milliseconds', Bytes: 'Bytes' } as const;
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** CloudWatch embedded metric format: one record per invocation, dimension `service`, flushed by `logMetrics`. */
export class Metrics {
  private values = new Map<string, { unit: MetricUnit; values: number[] }>();

  addMetric(name: string, unit: MetricUnit, value: number): void {
    const entry = this.values.get(name) ?? { unit, values: [] };
    entry.values.push(value);
    this.values.set(name, entry);
  }

  publishStoredMetrics(): void {
    const stored = [...this.values];
    this.values = new Map();
    if (stored.length === 0 || process.env.POWERTOOLS_METRICS_DISABLED === 'true') return;
    const record: Record<string, unknown> = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'default_namespace',
            Dimensions: [['service']],
            Metrics: stored.map(([name, { unit }]) => ({ Name: name, Unit: unit })),
          },
        ],
      },
      service: service(),
    };
    for (const [name, { values }] of stored) record[name] = values.length === 1 ? values[0] : values;
    console.log(JSON.stringify(record));
  }
}

export const logger = new Logger();
export const metrics = new Metrics();

type Middleware = MiddlewareObj<unknown, unknown, Error, Context>;

/** Powertools' `injectLambdaContext(logger, { resetKeys: true })`: the context on every record, keys per invocation. */
export function injectLambdaContext(target: Logger, options: { resetKeys?: boolean } = {}): Middleware {
  const reset = () => {
    if (options.resetKeys) target.resetKeys();
  };
  return {
    before: (request) => {
      reset();
      target.addContext(request.context);
    },
    after: reset,
    onError: reset,
  };
}

/** Powertools' `logMetrics(metrics)`: the invocation's metrics flushed after it, also when it failed. */
export function logMetrics(target: Metrics): Middleware {
  const flush = () => target.publishStoredMetrics();
  return { after: flush, onError: flush };
}
