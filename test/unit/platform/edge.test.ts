import type { Context } from 'aws-lambda';

Object.assign(process.env, {
  TABLE_NAME: 'unit-data',
  KEY_TABLE_NAME: 'unit-keys',
  EVENT_BUS_NAME: 'unit-bus',
  KMS_KEY_ID: 'alias/unit',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
});
const { expectedVersionOf, httpHandler } = await import('../../../shared/platform/http.js');
const { conflict } = await import('../../../shared/platform/errors.js');
const { versionMeets } = await import('../../../shared/platform/versions.js');
const { principalFromClaims } = await import('../../../shared/platform/principal.js');
const { TENANT_NAME_PATTERN } = await import('../../../shared/platform/tenant-name.js');
const { DATA_WRITE } = await import('../../../shared/platform/scopes.js');
const { link } = await import('../../../shared/platform/links.js');

const { declareRoutes } = await import('../../../shared/platform/route-policy.js');
const { routePoliciesOf } = await import('../../../infra/aws/function-plan.js');
const { catalog } = await import('../../../infra/catalog/index.js');
// What the generated entry of the partner-data writer declares (decision 0123).
declareRoutes(routePoliciesOf(catalog, 'functions/profile/put-partner-data.ts'));

const context = { functionName: 'unit', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

const event = (headers: Record<string, string> = {}) =>
  ({
    version: '2.0',
    routeKey: 'PUT /profile/v1/partnerdata/{name}',
    rawPath: '/profile/v1/partnerdata/cart',
    headers: { 'x-trace-id': 't-1', ...headers },
    pathParameters: { name: 'cart' },
    requestContext: {
      domainName: 'api.example.com',
      authorizer: { jwt: { claims: { principal: 'guest', sub: 'g-1', tenant: 'shop', scope: DATA_WRITE, iat: '1700000000' } } },
    },
    isBase64Encoded: false,
  }) as never;

type Raw = { statusCode: number; headers: Record<string, string>; body?: string };

describe('HTTP at the edge: versions, retry hints, links and claims are turned into HTTP in one place', () => {
  it('If-Match becomes an expected version: absent any, * an existing object, else the listed tags (weak or strong)', () => {
    expect(expectedVersionOf(undefined)).toEqual({ kind: 'any' });
    expect(expectedVersionOf(' * ')).toEqual({ kind: 'existing' });
    expect(expectedVersionOf('"9", W/"2"')).toEqual({ kind: 'oneOf', versions: ['9', '2'] });
    // An unquoted tag names no version: nothing matches.
    expect(versionMeets(expectedVersionOf('2'), '2')).toBe(false);
    expect(versionMeets(expectedVersionOf(''), '2')).toBe(false);
    expect(versionMeets(expectedVersionOf('*'), undefined)).toBe(false);
    expect(versionMeets(expectedVersionOf(undefined), undefined)).toBe(true);
    expect(versionMeets(expectedVersionOf('W/"P1-3"'), 'P1-3')).toBe(true);
  });

  it('a handler answers a version, the stack sends it as a strong ETag; a retry hint becomes Retry-After', async () => {
    const handler = httpHandler({}, async (req) => {
      if (req.expectedVersion.kind === 'existing') throw conflict('busy; retry', 'Busy', 1);
      return { statusCode: 200, body: { link: link(req, '/x'), issuedAt: req.principal.issuedAt }, version: 7 };
    });
    const ok = (await handler(event(), context)) as Raw;
    expect(ok.headers.ETag).toBe('"7"');
    expect(JSON.parse(ok.body ?? '{}')).toEqual({ link: 'https://api.example.com/x', issuedAt: 1700000000 });
    const busy = (await handler(event({ 'if-match': '*' }), context)) as Raw;
    expect(busy.statusCode).toBe(409);
    expect(busy.headers['Retry-After']).toBe('1');
  });

  it('the principal carries the token iat; tenant names follow the onboarding rule', () => {
    expect(principalFromClaims({ principal: 'guest', sub: 'g', tenant: 'shop', iat: 12 }).issuedAt).toBe(12);
    expect(principalFromClaims({ principal: 'guest', sub: 'g', tenant: 'shop' }).issuedAt).toBeUndefined();
    expect(['shop', 't-0a1b2c3d4e', 'mycomicsshop'].every((t) => TENANT_NAME_PATTERN.test(t))).toBe(true);
    expect(['Shop', '1shop', 'ab', 'a'.repeat(41), 'bad_name'].some((t) => TENANT_NAME_PATTERN.test(t))).toBe(false);
  });
});
