/**
 * Proves, function by function, what the running platform lets each catalog function do: the probe
 * handler below is invoked exactly as a handler is (same invoker, same shared clients, same access
 * context), once as every function, and tries one harmless call per access of the catalog. A call the
 * function's list does not cover must come back as AccessDeniedException (decision 0050).
 */
import { fileURLToPath } from 'node:url';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Access } from '../catalog/types.js';
import { dynamoClient, eventBridgeClient, kmsClient } from '../../shared/platform/clients.js';
import { config } from '../../shared/platform/config.js';
import type { LocalFunction } from './access.js';
import { invokeFunction } from './invoke.js';

/** A key no entity uses: reading it finds nothing, deleting it changes nothing (and writes no stream record). */
const PROBE_KEY = { PK: '#access-probe', SK: '#access-probe' };

/** One call per access; none has an effect (absent items, a ciphertext KMS refuses, a detail the bus refuses). */
const PROBES: Record<Access, () => Promise<unknown>> = {
  'table:read': () => dynamoClient().send(new GetCommand({ TableName: config().tableName, Key: PROBE_KEY })),
  'table:write': () => dynamoClient().send(new DeleteCommand({ TableName: config().tableName, Key: PROBE_KEY })),
  'keys:read': () => dynamoClient().send(new GetCommand({ TableName: config().keyTableName, Key: PROBE_KEY })),
  'keys:write': () => dynamoClient().send(new DeleteCommand({ TableName: config().keyTableName, Key: PROBE_KEY })),
  'kms:generate': () => kmsClient().send(new GenerateDataKeyCommand({ KeyId: config().kmsKeyId, KeySpec: 'AES_256' })),
  'kms:decrypt': () => kmsClient().send(new DecryptCommand({ CiphertextBlob: new Uint8Array(64) })),
  'events:put': () =>
    eventBridgeClient().send(
      new PutEventsCommand({ Entries: [{ EventBusName: config().eventBusName, Source: 'mydata.access-probe', DetailType: 'AccessProbe', Detail: 'not json' }] }),
    ),
};

export interface ProbeResult {
  readonly allowed: Access[];
  readonly refused: Access[];
}

/** The probe as a Lambda handler: which accesses the invoking function's clients let through. */
export const handler = async (): Promise<ProbeResult> => {
  const result: ProbeResult = { allowed: [], refused: [] };
  for (const [access, probe] of Object.entries(PROBES) as Array<[Access, () => Promise<unknown>]>) {
    try {
      await probe();
      result.allowed.push(access);
    } catch (error) {
      // Any other answer (a refused ciphertext) means the call passed the access check.
      if ((error as Error).name === 'AccessDeniedException') result.refused.push(access);
      else result.allowed.push(access);
    }
  }
  return result;
};

const PROBE_ENTRY = fileURLToPath(import.meta.url);

/** Runs the probe as each of `functions` (their access lists, the probe's code). */
export async function probeAccess(functions: readonly LocalFunction[]): Promise<Array<LocalFunction & ProbeResult>> {
  const results: Array<LocalFunction & ProbeResult> = [];
  for (const fn of functions) {
    const probed = (await invokeFunction({ ...fn, handler: PROBE_ENTRY, probing: true }, {})) as ProbeResult;
    results.push({ name: fn.name, handler: fn.handler, access: fn.access, ...probed });
  }
  return results;
}
