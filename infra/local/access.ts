/**
 * The catalog's access lists, enforced in the local runtime as IAM enforces them in AWS (decision 0050).
 *
 * The invoker runs each function inside `runAsFunction`, which remembers the function's access list for
 * everything the invocation does (AsyncLocalStorage). `enforceAccessLists` adds one middleware to the
 * platform's shared SDK clients: before a call is signed, it names the IAM actions and resources the
 * call needs (as AWS authorises it: per transaction item, per batch table, per index) and refuses the
 * call with an `AccessDeniedException`, shaped like AWS's, when the function's grants do not cover
 * them. Nothing of this is in a Lambda bundle: only the local runtime imports this module.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { EventBridgeServiceException } from '@aws-sdk/client-eventbridge';
import { KMSServiceException } from '@aws-sdk/client-kms';
import type { Access, Catalog } from '../catalog/types.js';
import { planFunctions } from '../aws/function-plan.js';
import type { ScheduleDefinition } from '../catalog/platform.js';
import { dynamoClient, eventBridgeClient, kmsClient } from '../../shared/platform/clients.js';
import { keyTable, mainTable } from '../../shared/platform/table-design.js';

export type Service = 'DynamoDB' | 'KMS' | 'EventBridge';

/** One function as the local runtime invokes it: its entry file and the grants its role would hold. */
export interface LocalFunction {
  /** Function name, the construct id the stack gives it (e.g. `AdminPutTenant`, `PlatformSweepOutbox`). */
  readonly name: string;
  readonly handler: string;
  readonly access: readonly Access[];
  /** Set by the access probe: its refusals are the expected answer, not logged or recorded. */
  readonly probing?: boolean;
}

/**
 * The functions of the platform as the stack builds them: one per handler file with the union of its
 * definitions' access (infra/aws/function-plan.ts), plus one per schedule.
 */
export function localFunctions(catalog: Catalog, schedules: readonly ScheduleDefinition[]): {
  byHandler: ReadonlyMap<string, LocalFunction>;
  schedules: ReadonlyMap<string, LocalFunction>;
  all: readonly LocalFunction[];
} {
  const byHandler = new Map(
    planFunctions(catalog).map((plan) => [plan.handler, { name: plan.constructId, handler: plan.handler, access: plan.access }]),
  );
  const scheduled = new Map(
    schedules.map((schedule) => [schedule.id, { name: `Platform${schedule.id}`, handler: schedule.handler, access: [...schedule.access].sort() }]),
  );
  return { byHandler, schedules: scheduled, all: [...byHandler.values(), ...scheduled.values()] };
}

const current = new AsyncLocalStorage<LocalFunction>();

/** Runs `work` (one invocation) as `fn`: every SDK call it makes is checked against `fn.access`. */
export function runAsFunction<T>(fn: LocalFunction, work: () => Promise<T>): Promise<T> {
  return current.run(fn, work);
}

/** The function the current invocation runs as; undefined outside an invocation (the platform's own calls). */
export function currentFunction(): LocalFunction | undefined {
  return current.getStore();
}

/** Names of what a function may be granted, as the stack names them (infra/aws/constructs/access-grants.ts). */
export interface Resources {
  readonly tableName: string;
  readonly keyTableName: string;
  readonly busName: string;
  /** Identifiers that name the envelope key: its ARN, its id, its alias. */
  readonly kmsKeys: readonly string[];
}

type Resource = 'main-table' | 'main-index' | 'key-table' | 'key-index' | 'envelope-key' | 'platform-bus' | 'other';

/** One IAM authorisation a call needs: an action on a resource. */
export interface Requirement {
  readonly action: string;
  readonly resource: Resource;
  /** The resource as AWS names it in the refusal. */
  readonly arn: string;
}

/**
 * What each access grants, exactly as the CDK grant methods in access-grants.ts produce it (checked
 * against the synthesised policies): `grantReadData` / `grantWriteData` on the table and, when the table
 * has GSIs, on `<table>/index/*`; ConditionCheckItem with writes; one KMS action each on the envelope key;
 * PutEvents on the platform bus.
 */
const READ_DATA = ['dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
const WRITE_DATA = ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:ConditionCheckItem'];
const tableGrant = (table: 'main' | 'key', actions: readonly string[]) => {
  const design = table === 'main' ? mainTable : keyTable;
  const resources: Resource[] = [`${table}-table`];
  if (design.indexes.length > 0) resources.push(`${table}-index`);
  return resources.flatMap((resource) => actions.map((action) => ({ action, resource })));
};
export const GRANTS: Readonly<Record<Access, ReadonlyArray<{ action: string; resource: Resource }>>> = {
  'table:read': tableGrant('main', READ_DATA),
  'table:write': tableGrant('main', WRITE_DATA),
  'keys:read': tableGrant('key', READ_DATA),
  'keys:write': tableGrant('key', WRITE_DATA),
  'kms:generate': [{ action: 'kms:GenerateDataKey', resource: 'envelope-key' }],
  'kms:decrypt': [{ action: 'kms:Decrypt', resource: 'envelope-key' }],
  'events:put': [{ action: 'events:PutEvents', resource: 'platform-bus' }],
};

const ACCOUNT = '000000000000';
const REGION = 'eu-central-1';

// biome-ignore lint/suspicious/noExplicitAny: SDK inputs are read structurally
type Input = Record<string, any>;

function tableResource(resources: Resources, tableNameOrArn: unknown, index?: unknown): Omit<Requirement, 'action'> {
  const name = String(tableNameOrArn ?? '').replace(/^arn:aws:dynamodb:[^:]*:[^:]*:table\//, '');
  const arn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}${index ? `/index/${String(index)}` : ''}`;
  const table = name === resources.tableName ? 'main' : name === resources.keyTableName ? 'key' : undefined;
  if (!table) return { resource: 'other', arn };
  return { resource: index ? `${table}-index` : `${table}-table`, arn };
}

/** The IAM actions and resources a DynamoDB / KMS / EventBridge call needs, as AWS authorises it. */
export function requirementsOf(service: Service, operation: string, input: Input, resources: Resources): Requirement[] {
  if (service === 'DynamoDB') {
    const on = (action: string, table: unknown, index?: unknown) => ({ action: `dynamodb:${action}`, ...tableResource(resources, table, index) });
    switch (operation) {
      case 'TransactWriteItems':
        // Authorised item by item: each Put, Update, Delete and ConditionCheck on its own table.
        return (input.TransactItems ?? []).flatMap((item: Input) => {
          if (item.Put) return [on('PutItem', item.Put.TableName)];
          if (item.Update) return [on('UpdateItem', item.Update.TableName)];
          if (item.Delete) return [on('DeleteItem', item.Delete.TableName)];
          if (item.ConditionCheck) return [on('ConditionCheckItem', item.ConditionCheck.TableName)];
          return [];
        });
      case 'TransactGetItems':
        return (input.TransactItems ?? []).map((item: Input) => on('GetItem', item.Get?.TableName));
      case 'BatchGetItem':
      case 'BatchWriteItem':
        return Object.keys(input.RequestItems ?? {}).map((table) => on(operation, table));
      case 'Query':
      case 'Scan':
        return [on(operation, input.TableName, input.IndexName)];
      default:
        // GetItem, PutItem, UpdateItem, DeleteItem, DescribeTable; any other operation needs an action
        // no access grants (PartiQL, table management), so it is refused.
        return [on(operation, input.TableName ?? input.TableArn)];
    }
  }
  if (service === 'KMS') {
    const keyId = typeof input.KeyId === 'string' ? input.KeyId : undefined;
    // Decrypt may omit the key (the ciphertext names it); a named key must be the envelope key.
    const ours = keyId === undefined || resources.kmsKeys.includes(keyId);
    return [{ action: `kms:${operation}`, resource: ours ? 'envelope-key' : 'other', arn: keyId ?? resources.kmsKeys[0] ?? 'unknown' }];
  }
  if (operation === 'PutEvents') {
    // Each entry goes to its bus; an entry without EventBusName goes to the account's default bus.
    const entries: Input[] = input.Entries?.length ? input.Entries : [{ EventBusName: resources.busName }];
    return entries.map((entry) => {
      const bus = String(entry.EventBusName ?? 'default').replace(/^arn:aws:events:[^:]*:[^:]*:event-bus\//, '');
      return {
        action: 'events:PutEvents',
        resource: bus === resources.busName ? 'platform-bus' : 'other',
        arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${bus}`,
      };
    });
  }
  return [{ action: `events:${operation}`, resource: 'other', arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${resources.busName}` }];
}

/** The accesses that would grant the requirement (none for actions no catalog access grants). */
export function grantingAccess(requirement: Requirement): Access[] {
  return (Object.keys(GRANTS) as Access[]).filter((access) =>
    GRANTS[access].some((grant) => grant.action === requirement.action && grant.resource === requirement.resource),
  );
}

/** The requirements of a call that `fn`'s access list does not cover. */
export function missingGrants(fn: LocalFunction, requirements: readonly Requirement[]): Requirement[] {
  return requirements.filter((requirement) => !grantingAccess(requirement).some((access) => fn.access.includes(access)));
}

const EXCEPTIONS = { DynamoDB: DynamoDBServiceException, KMS: KMSServiceException, EventBridge: EventBridgeServiceException };

/** The error AWS answers an unauthorised call with: HTTP 400, `AccessDeniedException`, client fault, not retried. */
export function accessDenied(service: Service, fn: LocalFunction, requirement: Requirement): Error {
  const needed = grantingAccess(requirement);
  const hint = needed.length > 0 ? `add ${needed.map((a) => `'${a}'`).join(' or ')} to its access list in infra/catalog` : 'no catalog access grants it';
  const message =
    `User: arn:aws:sts::${ACCOUNT}:assumed-role/${fn.name}Role/${fn.name} is not authorized to perform: ${requirement.action} ` +
    `on resource: ${requirement.arn} because no identity-based policy allows the ${requirement.action} action ` +
    `(local runtime: ${fn.name} [${fn.handler}] holds [${fn.access.join(', ')}]; ${hint})`;
  return new EXCEPTIONS[service]({
    name: 'AccessDeniedException',
    $fault: 'client',
    message,
    $metadata: { httpStatusCode: 400, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 },
  });
}

export interface Denial {
  readonly function: string;
  readonly handler: string;
  readonly action: string;
  readonly resource: string;
  readonly at: string;
}

interface MiddlewareClient {
  middlewareStack: {
    add: (middleware: unknown, options: { step: 'initialize'; name: string; priority?: 'high' }) => void;
  };
}

const enforced = new WeakSet<object>();
const denials: Denial[] = [];

/** The calls refused so far in this process (the latest 1000), for the control endpoint and tests. */
export function deniedCalls(): readonly Denial[] {
  return denials;
}

/**
 * Adds the check to one client (once). Calls outside an invocation (the platform's own) pass; calls of
 * an invoked function pass only when its access list covers every requirement. A refusal is logged to
 * stderr at once, whatever the function then does with the error.
 */
export function enforceAccess(client: object, service: Service, resources: Resources): void {
  if (enforced.has(client)) return;
  enforced.add(client);
  (client as MiddlewareClient).middlewareStack.add(
    (next: (args: { input: Input }) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: Input }) => {
      const fn = current.getStore();
      if (fn) {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const [missing] = missingGrants(fn, requirementsOf(service, operation, args.input ?? {}, resources));
        if (missing) {
          const error = accessDenied(service, fn, missing);
          if (fn.probing) throw error;
          denials.push({ function: fn.name, handler: fn.handler, action: missing.action, resource: missing.arn, at: new Date().toISOString() });
          if (denials.length > 1000) denials.shift();
          console.error(`[access] DENIED ${error.message}`);
          throw error;
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'mydataLocalAccessLists', priority: 'high' },
  );
}

/** Enforces the access lists on the platform's shared clients (shared/platform/clients.ts), which every handler uses. */
export function enforceAccessLists(resources: Resources): void {
  enforceAccess(dynamoClient(), 'DynamoDB', resources);
  enforceAccess(kmsClient(), 'KMS', resources);
  enforceAccess(eventBridgeClient(), 'EventBridge', resources);
}
