/**
 * The local access check asks for what IAM would ask for (decision 0050): the grants it assumes are the
 * ones the stack synthesises from each access, and each call needs the actions AWS authorises it by.
 */
import { describe, expect, it } from '@jest/globals';
import { allResources, buildStack } from '../../infra/build-stack.js';
import type { Access, Catalog } from '../../../infra/catalog/types.js';
import { GRANTS, type LocalFunction, missingGrants, requirementsOf, type Resources, type Service } from '../../../infra/local/access.js';

const resources: Resources = { tableName: 'data', keyTableName: 'keys', busName: 'bus', kmsKeys: ['alias/mydata', 'arn:aws:kms:eu-central-1:000000000000:key/k-1'] };
const everyAccess = Object.keys(GRANTS) as Access[];

describe('the grants the local check assumes', () => {
  // One function per access, each on a handler file of its own.
  const handlers = ['functions/admin/put-tenant.ts', 'functions/admin/put-consent-class.ts', 'functions/consent/list-consent-classes.ts',
    'functions/admin/on-tenant-onboarded.ts', 'functions/consent/get-schema.ts', 'functions/consent/get-history.ts', 'functions/consent/get-reference.ts'];
  const catalog: Catalog = {
    routes: everyAccess.map((access, i) => ({ id: `Only${i}`, method: 'GET', path: `/only/${i}`, handler: handlers[i], scopes: [], callers: ['system'], access: [access] })),
    rules: [],
  };
  const { stack } = buildStack(catalog);
  const { resources: cfn } = allResources(stack);

  /** The (action, resource) pairs of a function's synthesised policy, resources named as the local check names them. */
  function synthesised(handler: string): string[] {
    const prefix = handler.replace(/^functions\//, '').replace(/\.ts$/, '').split(/[/-]/).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
    const policy = Object.entries(cfn).find(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith(`${prefix}RoleDefaultPolicy`));
    if (!policy) throw new Error(`no policy for ${handler}`);
    const kinds = (resource: unknown): string[] =>
      [resource].flat().map((one) => {
        const text = JSON.stringify(one);
        const table = /DataTable/.test(text) ? 'main' : /KeyTable/.test(text) ? 'key' : undefined;
        if (table) return text.includes('/index/*') ? `${table}-index` : `${table}-table`;
        if (/EnvelopeKey/.test(text)) return 'envelope-key';
        if (/EventsBus/.test(text)) return 'platform-bus';
        return `other:${text}`;
      });
    return (policy[1].Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
      .flatMap((statement) => [statement.Action].flat().flatMap((action) => kinds(statement.Resource).map((kind) => `${action} on ${kind}`)))
      .filter((pair) => !/^(logs|xray):/.test(pair));
  }

  it.each(everyAccess.map((access, i) => [access, handlers[i]] as const))('%s: exactly what the stack grants', (access, handler) => {
    const assumed = GRANTS[access].map(({ action, resource }) => `${action} on ${resource}`);
    expect([...new Set(assumed)].sort()).toEqual([...new Set(synthesised(handler))].sort());
  });
});

describe('what a call needs', () => {
  const fn = (...access: Access[]): LocalFunction => ({ name: 'Fn', handler: 'functions/x/y.ts', access });
  const missing = (service: Service, operation: string, input: object, ...access: Access[]) =>
    missingGrants(fn(...access), requirementsOf(service, operation, input, resources)).map((r) => `${r.action} ${r.arn}`);

  it('a transaction: each item on its own table, a condition check with either read or write', () => {
    const input = {
      TransactItems: [
        { ConditionCheck: { TableName: 'data', Key: {} } },
        { Put: { TableName: 'keys', Item: {} } },
        { Update: { TableName: 'data', Key: {} } },
        { Delete: { TableName: 'data', Key: {} } },
      ],
    };
    expect(missing('DynamoDB', 'TransactWriteItems', input, 'table:write', 'keys:write')).toEqual([]);
    expect(missing('DynamoDB', 'TransactWriteItems', input, 'table:write', 'keys:read')).toEqual([expect.stringMatching(/^dynamodb:PutItem .*table\/keys$/)]);
    expect(missing('DynamoDB', 'TransactWriteItems', input, 'table:read', 'keys:write')).toEqual([
      expect.stringMatching(/^dynamodb:UpdateItem /),
      expect.stringMatching(/^dynamodb:DeleteItem /),
    ]);
    expect(missing('DynamoDB', 'TransactWriteItems', { TransactItems: [input.TransactItems[0]] }, 'table:read')).toEqual([]);
    expect(missing('DynamoDB', 'TransactGetItems', { TransactItems: [{ Get: { TableName: 'keys' } }] }, 'table:read')).toEqual([
      expect.stringMatching(/^dynamodb:GetItem .*table\/keys$/),
    ]);
  });

  it('batches: the batch action on every table named', () => {
    const both = { RequestItems: { data: {}, keys: {} } };
    expect(missing('DynamoDB', 'BatchGetItem', both, 'table:read')).toEqual([expect.stringMatching(/^dynamodb:BatchGetItem .*table\/keys$/)]);
    expect(missing('DynamoDB', 'BatchWriteItem', both, 'table:write', 'keys:write')).toEqual([]);
    expect(missing('DynamoDB', 'BatchWriteItem', both, 'table:read', 'keys:read')).toHaveLength(2);
  });

  it('indexes: the main table grants reach its GSIs; the key table has none, so no index of it is granted', () => {
    expect(missing('DynamoDB', 'Query', { TableName: 'data', IndexName: 'GSI2' }, 'table:read')).toEqual([]);
    expect(missing('DynamoDB', 'Query', { TableName: 'data', IndexName: 'GSI2' }, 'table:write')).toEqual([expect.stringMatching(/index\/GSI2$/)]);
    expect(missing('DynamoDB', 'Query', { TableName: 'keys', IndexName: 'GSI1' }, 'keys:read')).toHaveLength(1);
  });

  it('reads and writes of single items, and tables by ARN; other tables and PartiQL are never granted', () => {
    expect(missing('DynamoDB', 'UpdateItem', { TableName: 'data' }, 'table:read')).toHaveLength(1);
    expect(missing('DynamoDB', 'GetItem', { TableName: 'arn:aws:dynamodb:eu-central-1:1:table/data' }, 'table:read')).toEqual([]);
    expect(missing('DynamoDB', 'GetItem', { TableName: 'elsewhere' }, ...everyAccess)).toHaveLength(1);
    expect(missing('DynamoDB', 'ExecuteStatement', { Statement: 'SELECT * FROM data' }, ...everyAccess)).toHaveLength(1);
  });

  it('KMS: GenerateDataKey and Decrypt on the envelope key only, no other KMS action', () => {
    expect(missing('KMS', 'GenerateDataKey', { KeyId: 'alias/mydata' }, 'kms:generate')).toEqual([]);
    expect(missing('KMS', 'GenerateDataKey', { KeyId: 'alias/other' }, 'kms:generate')).toHaveLength(1);
    expect(missing('KMS', 'GenerateDataKeyWithoutPlaintext', { KeyId: 'alias/mydata' }, 'kms:generate')).toHaveLength(1);
    expect(missing('KMS', 'Decrypt', { CiphertextBlob: new Uint8Array(1) }, 'kms:decrypt')).toEqual([]);
    expect(missing('KMS', 'Decrypt', { CiphertextBlob: new Uint8Array(1) }, 'kms:generate')).toHaveLength(1);
    expect(missing('KMS', 'Encrypt', { KeyId: 'alias/mydata' }, 'kms:generate', 'kms:decrypt')).toHaveLength(1);
  });

  it('EventBridge: PutEvents to the platform bus only (an entry without a bus goes to the default bus)', () => {
    expect(missing('EventBridge', 'PutEvents', { Entries: [{ EventBusName: 'bus' }, { EventBusName: 'arn:aws:events:eu-central-1:1:event-bus/bus' }] }, 'events:put')).toEqual([]);
    expect(missing('EventBridge', 'PutEvents', { Entries: [{}] }, 'events:put')).toEqual([expect.stringMatching(/event-bus\/default$/)]);
    expect(missing('EventBridge', 'PutEvents', { Entries: [] }, 'table:write')).toHaveLength(1);
  });
});
