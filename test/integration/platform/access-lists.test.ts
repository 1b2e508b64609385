/**
 * The catalog's access lists hold locally as IAM holds them in AWS (decision 0050): a function whose
 * list lacks a grant has its call refused with AccessDeniedException, and an HTTP function answers 500.
 * The functions run in this test process against the suite's DynamoDB, KMS and bus, through the
 * platform's own invoker, gateway and shared clients.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { SpiedFunction } from 'jest-mock';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { catalog } from '../../../infra/catalog/index.js';
import type { Access } from '../../../infra/catalog/types.js';
import { deniedCalls, enforceAccessLists, type LocalFunction } from '../../../infra/local/access.js';
import { startGateway, type LocalGateway } from '../../../infra/local/gateway.js';
import { invokeFunction } from '../../../infra/local/invoke.js';
import { loadIssuer } from '../../../infra/local/issuer.js';
import { LOCAL_NAMES } from '../../../infra/local/names.js';
import type { AccessFixtureEvent } from '../../fixtures/access-handler.js';
import { testDynamo, uniqueTenant } from '../../support/api.js';

const tenant = uniqueTenant('access');
let pkCount = 0;
const freshKey = () => `T#${tenant}#ACCESS#${++pkCount}`;

const fixture = (access: readonly Access[]): LocalFunction => ({ name: 'AccessFixture', handler: 'test/fixtures/access-handler.ts', access });
const run = (access: readonly Access[], call: AccessFixtureEvent['call'], pk = freshKey()) => invokeFunction(fixture(access), { call, pk });
const stored = async (pk: string) => (await testDynamo().send(new GetCommand({ TableName: LOCAL_NAMES.tableName, Key: { PK: pk, SK: 'ITEM' } }))).Item;

beforeAll(() => {
  // What the platform sets for its functions, pointed at the suite's services.
  Object.assign(process.env, {
    AWS_REGION: LOCAL_NAMES.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: process.env.MYDATA_DYNAMODB_URL,
    AWS_ENDPOINT_URL_KMS: process.env.MYDATA_KMS_URL,
    AWS_ENDPOINT_URL_EVENTBRIDGE: process.env.MYDATA_EVENTS_URL,
    TABLE_NAME: LOCAL_NAMES.tableName,
    KEY_TABLE_NAME: LOCAL_NAMES.keyTableName,
    EVENT_BUS_NAME: LOCAL_NAMES.eventBusName,
    KMS_KEY_ID: LOCAL_NAMES.kmsAlias,
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  enforceAccessLists({
    tableName: LOCAL_NAMES.tableName,
    keyTableName: LOCAL_NAMES.keyTableName,
    busName: LOCAL_NAMES.eventBusName,
    kmsKeys: [LOCAL_NAMES.kmsAlias],
  });
});

// Refusals are logged loudly on stderr; here they are the expected outcome, so keep them out of the output.
let stderr: SpiedFunction<typeof console.error>;
beforeEach(() => {
  stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => stderr.mockRestore());

const refusal = (action: string, resource: RegExp) =>
  expect.objectContaining({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: expect.objectContaining({ httpStatusCode: 400 }),
    message: expect.stringMatching(new RegExp(`is not authorized to perform: ${action} on resource: ${resource.source}`)),
  });

describe('a function calling outside its access list', () => {
  it('is refused a write with AccessDeniedException naming the action, the table and the missing access; nothing is written', async () => {
    const pk = freshKey();
    const error = await run(['table:read'], 'put', pk).catch((e: unknown) => e);
    expect(error).toEqual(refusal('dynamodb:PutItem', /arn:aws:dynamodb:[^ ]+:table\/mydata-data\b/));
    expect((error as Error).message).toContain("add 'table:write'");
    expect(await stored(pk)).toBeUndefined();
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('[access] DENIED'));
    expect(deniedCalls().at(-1)).toMatchObject({ function: 'AccessFixture', action: 'dynamodb:PutItem' });
  });

  it('may make the same call once its list grants it, and it reaches the table', async () => {
    const pk = freshKey();
    await expect(run(['table:write'], 'put', pk)).resolves.toEqual({ done: 'put' });
    expect(await stored(pk)).toMatchObject({ entityType: 'AccessFixture' });
  });

  it('reads only with table:read, and a GSI query counts as a read of the table', async () => {
    await expect(run(['table:write'], 'get')).rejects.toEqual(refusal('dynamodb:GetItem', /\S+table\/mydata-data\b/));
    await expect(run(['table:write'], 'query-index')).rejects.toEqual(refusal('dynamodb:Query', /\S+table\/mydata-data\/index\/GSI1/));
    await expect(run(['table:read'], 'query-index')).resolves.toEqual({ done: 'query-index' });
  });

  it('authorises a transaction item by item: a write-only function may guard its put with a condition check', async () => {
    const pk = freshKey();
    await expect(run(['table:write'], 'check-and-put', pk)).resolves.toEqual({ done: 'check-and-put' });
    expect(await stored(pk)).toBeDefined();
    const refused = freshKey();
    await expect(run(['table:read'], 'check-and-put', refused)).rejects.toEqual(refusal('dynamodb:PutItem', /\S+/));
    expect(await stored(refused)).toBeUndefined();
  });

  it('needs a read grant on every table of a batch read (the key table is keys:read)', async () => {
    await expect(run(['table:read'], 'batch-get-both-tables')).rejects.toEqual(refusal('dynamodb:BatchGetItem', /\S+table\/mydata-keys\b/));
    await expect(run(['table:read', 'keys:read'], 'batch-get-both-tables')).resolves.toEqual({ done: 'batch-get-both-tables' });
  });

  it('is refused KMS and the bus without kms:generate / events:put, and the default bus even with events:put', async () => {
    await expect(run(['kms:decrypt'], 'generate-data-key')).rejects.toEqual(refusal('kms:GenerateDataKey', /\S+/));
    await expect(run(['kms:generate'], 'generate-data-key')).resolves.toEqual({ done: 'generate-data-key' });
    await expect(run(['table:write'], 'put-event')).rejects.toEqual(refusal('events:PutEvents', /\S+event-bus\/mydata\b/));
    await expect(run(['events:put'], 'put-event')).resolves.toEqual({ done: 'put-event' });
    await expect(run(['events:put'], 'put-event-default-bus')).rejects.toEqual(refusal('events:PutEvents', /\S+event-bus\/default\b/));
  });

  it('keeps the lists of concurrent invocations apart', async () => {
    const [allowed, refused] = [freshKey(), freshKey()];
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 5 }, () => run(['table:write'], 'put', allowed)),
      ...Array.from({ length: 5 }, () => run(['table:read'], 'put', refused)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([...Array(5).fill('fulfilled'), ...Array(5).fill('rejected')]);
    expect(await stored(allowed)).toBeDefined();
    expect(await stored(refused)).toBeUndefined();
  });
});

describe('an HTTP function whose list lacks a grant it uses', () => {
  const route = catalog.routes.find((r) => r.id === 'ListConsentClasses')!;
  let narrow: LocalGateway;
  let granted: LocalGateway;
  let token: string;

  beforeAll(async () => {
    const issuer = await loadIssuer(process.env.MYDATA_ISSUER_KEY_FILE);
    token = await issuer.sign({ principal: 'system', sub: 'access-test' });
    const gateway = (access: readonly Access[]) =>
      startGateway({ port: 0, routes: [route], issuer, functionOf: (r) => ({ name: 'ConsentListConsentClasses', handler: r.handler, access }) });
    [narrow, granted] = await Promise.all([gateway([]), gateway(route.access)]);
  });
  afterAll(() => Promise.all([narrow.stop(), granted.stop()]));

  it('answers 500 with the platform error body, as the function would in AWS; with its catalog list, 200', async () => {
    const get = (gateway: LocalGateway) => fetch(`${gateway.url}${route.path}`, { headers: { authorization: `Bearer ${token}` } });
    const refused = await get(narrow);
    expect(refused.status).toBe(500);
    const body = (await refused.json()) as { message: string; traceId: string };
    expect(body).toEqual(expect.objectContaining({ message: expect.any(String), traceId: expect.any(String) }));
    expect(body.message).not.toMatch(/not authorized|AccessDenied|mydata-data/);
    expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/\[access\] DENIED .*ConsentListConsentClasses.*dynamodb:(Query|GetItem)/));
    expect((await get(granted)).status).toBe(200);
  });
});
