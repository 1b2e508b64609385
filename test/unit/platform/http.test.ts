import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { DATA_WRITE } from '../../../shared/platform/scopes.js';

Object.assign(process.env, {
  TABLE_NAME: 'unit-data',
  KEY_TABLE_NAME: 'unit-keys',
  EVENT_BUS_NAME: 'unit-bus',
  KMS_KEY_ID: 'alias/unit',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});
const { httpHandler } = await import('../../../shared/platform/http.js');
const { notFound } = await import('../../../shared/platform/errors.js');

const { declareRoutes } = await import('../../../shared/platform/route-policy.js');
const { routePoliciesOf } = await import('../../../infra/aws/function-plan.js');
const { catalog } = await import('../../../infra/catalog/index.js');
// What the generated entry of the partner-data writer declares (decision 0123).
declareRoutes(routePoliciesOf(catalog, 'functions/profile/put-partner-data.ts'));

const context = { functionName: 'unit', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

function event(overrides: Record<string, unknown> = {}) {
  return {
    version: '2.0',
    // A route of the catalog: the route policy refuses undeclared routes (decision 0010).
    routeKey: 'PUT /profile/v1/partnerdata/{name}',
    rawPath: '/things/1',
    headers: { 'content-type': 'application/json', 'x-trace-id': 'trace-123' },
    pathParameters: { id: '1' },
    requestContext: {
      domainName: 'api.example.com',
      authorizer: { jwt: { claims: { principal: 'guest', sub: 'g-1', tenant: 'shop', scope: `${DATA_WRITE} b` }, scopes: [DATA_WRITE, 'b'] } },
    },
    body: JSON.stringify({ count: 2 }),
    isBase64Encoded: false,
    ...overrides,
  } as never;
}

const handler = httpHandler(
  { params: z.object({ id: z.string() }), body: z.object({ count: z.number() }), maxBodyBytes: 64 },
  async ({ params, body, principal }) => {
    if (params.id === 'missing') throw notFound('Thing missing not found', 'ThingNotFound');
    if (params.id === 'boom') throw new Error('database password is hunter2');
    return { statusCode: 200, body: { id: params.id, count: body.count, who: principal.sub, scopes: [...principal.scopes] } };
  },
);

const parse = (result: unknown) => {
  const r = result as { statusCode: number; body?: string; headers: Record<string, string> };
  return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : undefined, headers: r.headers };
};

describe('the HTTP middleware stack', () => {
  it('validates, passes the principal from the claims and echoes the caller trace id', async () => {
    const result = parse(await handler(event(), context));
    expect(result).toMatchObject({ status: 200, body: { id: '1', count: 2, who: 'g-1', scopes: [DATA_WRITE, 'b'] } });
    expect(result.headers['X-TraceId']).toBe('trace-123');
  });

  it('names the failing fields of an invalid body (400)', async () => {
    const result = parse(await handler(event({ body: JSON.stringify({ count: 'two' }) }), context));
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ code: 'ValidationFailed', traceId: 'trace-123', details: { fields: [{ field: 'body.count' }] } });
  });

  it('refuses malformed JSON (400), other content types (400) and bodies over the limit (413)', async () => {
    expect(parse(await handler(event({ body: '{"count":' }), context)).body.code).toBe('MalformedJson');
    const text = event({ headers: { 'content-type': 'text/plain' } });
    expect(parse(await handler(text, context)).body.code).toBe('UnsupportedContentType');
    const big = parse(await handler(event({ body: JSON.stringify({ count: 1, pad: 'x'.repeat(100) }) }), context));
    expect(big.status).toBe(413);
  });

  it("accepts JSON that curl -d labelled as a form, as the Hybris tutorials send it, but no real form", async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(parse(await handler(event({ headers: form, body: '{"count"  : 3}' }), context))).toMatchObject({ status: 200, body: { count: 3 } });
    expect(parse(await handler(event({ headers: form, body: 'count=3' }), context)).body.code).toBe('UnsupportedContentType');
  });

  it('maps domain errors to their status with message and traceId', async () => {
    const result = parse(await handler(event({ pathParameters: { id: 'missing' } }), context));
    expect(result).toMatchObject({ status: 404, body: { message: 'Thing missing not found', code: 'ThingNotFound', traceId: 'trace-123' } });
  });

  it('hides the details of unexpected errors behind an opaque 500', async () => {
    const result = parse(await handler(event({ pathParameters: { id: 'boom' } }), context));
    expect(result.status).toBe(500);
    expect(JSON.stringify(result.body)).not.toContain('hunter2');
    expect(result.body).toEqual({ message: 'Internal server error', code: 'InternalError', traceId: 'trace-123' });
  });

  it('answers 401 when the authorizer passed no usable principal', async () => {
    const anonymousEvent = event({ requestContext: { authorizer: { jwt: { claims: { sub: 'x' } } } } });
    expect(parse(await handler(anonymousEvent, context)).status).toBe(401);
  });

  it('makes a new trace id when the caller sent none or an unsafe one', async () => {
    const result = parse(await handler(event({ headers: { 'content-type': 'application/json', 'x-traceid': 'bad id with spaces' } }), context));
    expect(result.headers['X-TraceId']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
