import { join } from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { catalog } from '../catalog/index.js';
import { platformSchedules } from '../catalog/platform.js';
import { keyTable, mainTable } from '../../shared/platform/table-design.js';
import { ensureTable, localCredentials, startDynamoDbLocal } from './dynamodb.js';
import { startLocalEventBridge } from './eventbridge/server.js';
import { startGateway } from './gateway.js';
import { enforceAccessLists, deniedCalls, localFunctions } from './access.js';
import { probeAccess } from './access-probe.js';
import { invokeFunction } from './invoke.js';
import { loadIssuer } from './issuer.js';
import { LOCAL_NAMES } from './names.js';
import { startLocalKms } from './kms/server.js';
import { BadRequest, startControl } from './control.js';
import { fileCheckpoints, memoryCheckpoints, startStreamRelay, type StreamRelay } from './stream-relay.js';

export { LOCAL_NAMES } from './names.js';

export interface PlatformOptions {
  /** Gateway port; 0 picks a free one. */
  readonly port: number;
  /** Folder for DynamoDB, KMS key material and the issuer key; undefined keeps data in memory. */
  readonly dataDir?: string;
  readonly issuerKeyFile?: string;
  readonly log?: (line: string) => void;
}

export interface RunningPlatform {
  readonly apiUrl: string;
  readonly dynamoUrl: string;
  readonly kmsUrl: string;
  readonly eventsUrl: string;
  /** Fault injection and operations (infra/local/control.ts). */
  readonly controlUrl: string;
  stop(): Promise<void>;
}

/**
 * Brings up the whole platform in one process tree: DynamoDB Local (Java child), the local KMS and
 * EventBridge endpoints, the stream relay and the gateway. The handlers run in this process with the
 * same code as in Lambda; only AWS_ENDPOINT_URL_* and the configuration differ.
 */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const log = options.log ?? (() => undefined);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    const dynamo = await startDynamoDbLocal({ dataDir: options.dataDir && join(options.dataDir, 'dynamodb') });
    stops.push(dynamo.stop);
    await ensureTable(dynamo.client, mainTable, LOCAL_NAMES.tableName);
    await ensureTable(dynamo.client, keyTable, LOCAL_NAMES.keyTableName);
    log(`DynamoDB Local  ${dynamo.url}`);

    const kms = await startLocalKms({ port: 0, dataDir: options.dataDir, region: LOCAL_NAMES.region });
    stops.push(kms.stop);
    const kmsKeyId = await ensureKmsKey(kms.url);
    log(`KMS             ${kms.url} (${LOCAL_NAMES.kmsAlias})`);

    const issuer = await loadIssuer(options.issuerKeyFile);
    // The functions as the stack builds them, each with its access list (decision 0050).
    const functions = localFunctions(catalog, platformSchedules);
    const functionOf = (handler: string) => functions.byHandler.get(handler)!;
    const gatewayPort = options.port;
    configureHandlerEnvironment({ dynamoUrl: dynamo.url, kmsUrl: kms.url, kmsKeyId });

    const events = await startLocalEventBridge({
      port: 0,
      busName: LOCAL_NAMES.eventBusName,
      region: LOCAL_NAMES.region,
      rules: catalog.rules.map((rule) => ({
        id: rule.id,
        pattern: rule.pattern,
        target: async (event) => void (await invokeFunction(functionOf(rule.handler), event)),
      })),
    });
    stops.push(events.stop);
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = events.url;
    log(`EventBridge     ${events.url} (watch it: npm run events -- --follow [--type PartnerNotice])`);
    // IAM, locally: each invoked function's calls on the shared clients are held to its access list.
    enforceAccessLists({
      tableName: LOCAL_NAMES.tableName,
      keyTableName: LOCAL_NAMES.keyTableName,
      busName: LOCAL_NAMES.eventBusName,
      kmsKeys: [kmsKeyId, kmsKeyId.split('/').pop()!, LOCAL_NAMES.kmsAlias],
    });

    // The relay's stream position survives a relay restart (in memory) or a platform restart (data dir).
    const checkpoints = options.dataDir ? fileCheckpoints(join(options.dataDir, 'stream-relay-checkpoints.json')) : memoryCheckpoints();
    let relay: StreamRelay | undefined;
    const startRelay = async () => {
      relay ??= await startStreamRelay({
        dynamo: dynamo.client,
        dynamoUrl: dynamo.url,
        eventsUrl: events.url,
        tableName: LOCAL_NAMES.tableName,
        eventBusName: LOCAL_NAMES.eventBusName,
        checkpoints,
        onError: (error) => log(`stream relay: ${(error as Error).message}`),
      });
    };
    const stopRelay = async () => {
      const running = relay;
      relay = undefined;
      await running?.stop();
    };
    await startRelay();
    stops.push(stopRelay);

    // The schedules of the catalog (the outbox sweeper): EventBridge schedules in AWS, timers here.
    const runSchedule = (id: string, time: Date) =>
      invokeFunction(functions.schedules.get(id)!, { 'detail-type': 'Scheduled Event', source: 'aws.events', time: time.toISOString(), detail: {} });
    const timers = platformSchedules.map((schedule) => {
      const timer = setInterval(() => {
        runSchedule(schedule.id, new Date()).catch((error: unknown) => log(`${schedule.id}: ${(error as Error).message}`));
      }, localScheduleIntervalMs(schedule.everyMinutes));
      timer.unref();
      return timer;
    });
    stops.push(async () => timers.forEach(clearInterval));
    const sweeper = platformSchedules.find((schedule) => schedule.id === 'SweepOutbox')!;

    const control = await startControl({
      'relay/stop': () => stopRelay().then(() => ({ relay: 'stopped' })),
      'relay/start': () => startRelay().then(() => ({ relay: 'running' })),
      'bus/stop': () => events.suspend().then(() => ({ bus: 'stopped' })),
      'bus/start': () => events.resume().then(() => ({ bus: 'running' })),
      sweep: async (body) => {
        const time = typeof body.time === 'string' ? new Date(body.time) : new Date();
        if (Number.isNaN(time.getTime())) throw new BadRequest('time must be an ISO 8601 timestamp');
        return runSchedule(sweeper.id, time);
      },
      // Each function's grants as its clients enforce them, and the calls refused so far (decision 0050).
      'access/probe': async () => ({ functions: await probeAccess(functions.all) }),
      'access/denials': async () => ({ denials: deniedCalls() }),
    });
    stops.push(control.stop);
    log(`Control         ${control.url}`);

    const gateway = await startGateway({ port: gatewayPort, routes: catalog.routes, issuer, functionOf: (route) => functionOf(route.handler) });
    stops.push(gateway.stop);
    process.env.PUBLIC_BASE_URL = gateway.url;
    log(`API             ${gateway.url}`);
    return { apiUrl: gateway.url, dynamoUrl: dynamo.url, kmsUrl: kms.url, eventsUrl: events.url, controlUrl: control.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A schedule's period locally: its catalog minutes, or every MYDATA_LOCAL_SCHEDULE_SECONDS seconds when set
 * (tests of retries and backoff run in seconds with a short NOTIFICATION_RETRY_SECONDS; docs/notifications.md).
 */
function localScheduleIntervalMs(everyMinutes: number): number {
  const seconds = Number(process.env.MYDATA_LOCAL_SCHEDULE_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : everyMinutes * 60_000;
}

/** The same variables the CDK stack sets on every function, plus the SDK's endpoint overrides. */
function configureHandlerEnvironment(input: { dynamoUrl: string; kmsUrl: string; kmsKeyId: string }): void {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_NAMES.region,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamoUrl,
    AWS_ENDPOINT_URL_KMS: input.kmsUrl,
    TABLE_NAME: LOCAL_NAMES.tableName,
    KEY_TABLE_NAME: LOCAL_NAMES.keyTableName,
    EVENT_BUS_NAME: LOCAL_NAMES.eventBusName,
    KMS_KEY_ID: input.kmsKeyId,
    // Webhook receivers on loopback (a partner's receiver under development, the tests' receivers; docs/notifications.md).
    NOTIFICATION_ALLOW_LOOPBACK: 'true',
    POWERTOOLS_SERVICE_NAME: 'mydata-local',
    POWERTOOLS_METRICS_NAMESPACE: 'mydata',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  });
}

async function ensureKmsKey(kmsUrl: string): Promise<string> {
  const kms = new KMSClient({ endpoint: kmsUrl, region: LOCAL_NAMES.region, credentials: localCredentials });
  try {
    const existing = await kms.send(new DescribeKeyCommand({ KeyId: LOCAL_NAMES.kmsAlias }));
    return existing.KeyMetadata!.Arn!;
  } catch (error) {
    if ((error as Error).name !== 'NotFoundException') throw error;
  }
  const created = await kms.send(new CreateKeyCommand({ Description: 'mydata platform key (local)' }));
  await kms.send(new CreateAliasCommand({ AliasName: LOCAL_NAMES.kmsAlias, TargetKeyId: created.KeyMetadata!.KeyId! }));
  kms.destroy();
  return created.KeyMetadata!.Arn!;
}
