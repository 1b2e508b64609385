import { jest } from '@jest/globals';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext, Logger, logMetrics, MetricUnit, Metrics } from '../../../shared/platform/observability.js';

const context = { functionName: 'mydata-fn', invokedFunctionArn: 'arn:aws:lambda:eu-central-1:1:function:mydata-fn', memoryLimitInMB: '512', awsRequestId: 'req-1' } as Context;

function captured(method: 'info' | 'error' | 'log') {
  const lines: Record<string, unknown>[] = [];
  const spy = jest.spyOn(console, method).mockImplementation((line: unknown) => void lines.push(JSON.parse(String(line))));
  return { lines, restore: () => spy.mockRestore() };
}

describe('observability: Powertools log records and EMF metrics without Powertools in the bundle', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.POWERTOOLS_SERVICE_NAME = 'consent';
    process.env.POWERTOOLS_METRICS_NAMESPACE = 'mydata';
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1';
    delete process.env.POWERTOOLS_LOG_LEVEL;
    delete process.env.POWERTOOLS_METRICS_DISABLED;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('writes one JSON record per call with the invocation context, the trace root and the keys of this invocation only', async () => {
    const logger = new Logger();
    const out = captured('info');
    const handler = middy(async (event: { n: number }) => {
      logger.appendKeys({ correlation_id: `c${event.n}` });
      logger.info('Request rejected', { status: 404 });
      return event.n;
    }).use(injectLambdaContext(logger, { resetKeys: true }));
    await handler({ n: 1 }, context);
    await handler({ n: 2 }, context);
    logger.info('after');
    out.restore();
    expect(out.lines[0]).toMatchObject({
      level: 'INFO',
      message: 'Request rejected',
      service: 'consent',
      cold_start: true,
      function_name: 'mydata-fn',
      function_request_id: 'req-1',
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      correlation_id: 'c1',
      status: 404,
    });
    expect(out.lines[1]).toMatchObject({ cold_start: false, correlation_id: 'c2' });
    expect(out.lines[2].correlation_id).toBeUndefined();
  });

  it('logs an error with its name, message and stack, and honours the level (SILENT logs nothing)', () => {
    const errors = captured('error');
    new Logger().error('Unhandled error', new TypeError('boom'));
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    new Logger().error('hidden');
    errors.restore();
    expect(errors.lines).toHaveLength(1);
    expect(errors.lines[0]).toMatchObject({ level: 'ERROR', error: { name: 'TypeError', message: 'boom', stack: expect.stringContaining('boom') } });
  });

  it("flushes the invocation's metrics as one EMF record, also when the handler fails, and nothing when disabled", async () => {
    const metrics = new Metrics();
    const out = captured('log');
    const handler = middy(async (fail: boolean) => {
      metrics.addMetric('Success', MetricUnit.Count, 1);
      metrics.addMetric('Success', MetricUnit.Count, 1);
      if (fail) throw new Error('x');
    }).use(logMetrics(metrics));
    await handler(false, context);
    await expect(handler(true, context)).rejects.toThrow('x');
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    await handler(false, context);
    out.restore();
    expect(out.lines).toHaveLength(2);
    expect(out.lines[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'mydata', Dimensions: [['service']], Metrics: [{ Name: 'Success', Unit: 'Count' }] }] },
      service: 'consent',
      Success: [1, 1],
    });
  });
});
