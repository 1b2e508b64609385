import { CfnOutput, NestedStack, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { keyTable, mainTable } from '../../shared/platform/table-design.js';
import type { Catalog } from '../catalog/types.js';
import { AlarmTopic, alarmOnDeadLetters, alarmOnErrors, alarmOnFirst } from './constructs/alarms.js';
import { ContextStack } from './constructs/context-stack.js';
import { DataTables } from './constructs/data-tables.js';
import { EnvelopeKey } from './constructs/envelope-key.js';
import { PlatformEventBus } from './constructs/event-bus.js';
import { type JwtSettings, PlatformHttpApi } from './constructs/http-api.js';
import { OutboxPipe } from './constructs/outbox-pipe.js';
import { GuestPortal, portalSettingsFrom } from './constructs/portal.js';
import { OutboxSweeperSchedule } from './constructs/outbox-sweeper.js';
import { platformSchedules } from '../catalog/platform.js';
import { PlatformFunction } from './constructs/platform-function.js';
import { FunctionBundles, type TracingMode } from './bundling.js';
import { deployedHandlers, OUTBOX_ENRICH_HANDLER, pascalCase, sliceByContext } from './function-plan.js';
import { planRoutes } from './route-plan.js';

export interface MydataStackProps extends StackProps {
  /** Routes and rules to deploy; the same catalog the local runtime serves. */
  readonly catalog: Catalog;
  readonly jwt: JwtSettings;
  readonly alarmEmail?: string;
  /** Whether functions carry the X-Ray SDK (CDK context `mydata:tracing`, decision 0120); default `off`. */
  readonly tracing?: TracingMode;
}

/**
 * The platform: shared state (tables, envelope key, bus, HTTP API, alarm topic) and the outbox pipe
 * here; each bounded context's functions, routes and rules in a nested stack of their own.
 */
export class MydataStack extends Stack {
  /** The nested stack of each context, by context name. */
  readonly contexts = new Map<string, ContextStack>();

  constructor(scope: Construct, id: string, props: MydataStackProps) {
    super(scope, id, props);
    // Fails synth early when two catalog routes would become the same API Gateway route.
    planRoutes(props.catalog.routes);
    // Every function of this stack and its context stacks comes out of one esbuild pass (decision 0121).
    const bundles = new FunctionBundles(deployedHandlers(props.catalog), props.tracing ?? 'off');

    const tables = new DataTables(this, 'Data');
    const envelopeKey = new EnvelopeKey(this, 'EnvelopeKey').key;
    const events = new PlatformEventBus(this, 'Events');
    const { bus } = events;
    // The guest portal (issue 14, decision 0500): S3 behind CloudFront in a nested stack; the API allows its
    // origin (CORS); the upload, which writes the API's URL into the page's config, in a second one.
    const portal = new GuestPortal(new NestedStack(this, 'Portal'), 'Portal', portalSettingsFrom(this, props.jwt.issuer));
    const http = new PlatformHttpApi(this, 'Http', { jwt: props.jwt, corsOrigins: [portal.origin] });
    portal.deploy(new NestedStack(this, 'PortalUpload'), http.stage.url);
    new CfnOutput(this, 'PortalUrl', { value: `${portal.origin}/`, description: 'The guest portal; register it as the sign-in redirect URI at the provider' });
    const { topic } = new AlarmTopic(this, 'Alarms', { email: props.alarmEmail || undefined });

    const enrichment = new PlatformFunction(this, 'PlatformOutboxEnrich', {
      entry: OUTBOX_ENRICH_HANDLER,
      serviceName: 'platform',
      access: [],
      resources: {
        mainTable: { table: tables.main, design: mainTable },
        keyTable: { table: tables.keys, design: keyTable },
        envelopeKey,
        bus,
      },
      description: 'mydata outbox pipe enrichment: parses the outbox row into the event detail',
      bundles,
    });
    const outbox = new OutboxPipe(this, 'Outbox', { table: tables.main, bus, enrichment: enrichment.function });

    alarmOnFirst(
      this,
      'Api5xxAlarm',
      http.api.metricServerError({ statistic: 'Sum' }),
      'The HTTP API answered with 5xx',
      topic,
    );
    alarmOnErrors(this, enrichment.node.id, enrichment.function, topic);
    alarmOnDeadLetters(this, 'OutboxPipe', outbox.deadLetters, topic);

    // Scheduled platform functions of the catalog (the outbox sweeper, docs/delivery.md).
    for (const schedule of platformSchedules) {
      const fn = new PlatformFunction(this, `Platform${schedule.id}`, {
        entry: schedule.handler,
        serviceName: 'platform',
        access: schedule.access,
        resources: {
          mainTable: { table: tables.main, design: mainTable },
          keyTable: { table: tables.keys, design: keyTable },
          envelopeKey,
          bus,
        },
        description: `mydata ${schedule.id}: ${schedule.description}`.slice(0, 256),
        bundles,
      });
      new OutboxSweeperSchedule(this, `${schedule.id}Schedule`, { sweeper: fn.function, everyMinutes: schedule.everyMinutes });
      alarmOnErrors(this, fn.node.id, fn.function, topic);
    }

    const shared = {
      mainTable: tables.main,
      keyTable: tables.keys,
      envelopeKey,
      bus,
      api: http.api,
      authorizer: http.authorizer,
      alarmTopic: topic,
    };
    for (const slice of sliceByContext(props.catalog)) {
      this.contexts.set(
        slice.context,
        new ContextStack(this, `${pascalCase(slice.context)}Context`, {
          context: slice.context,
          functions: slice.functions,
          routes: slice.catalog.routes,
          rules: slice.catalog.rules,
          shared,
          bundles,
        }),
      );
    }

    new CfnOutput(this, 'ApiUrl', { value: http.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName });
    new CfnOutput(this, 'EventArchiveName', { value: events.archive.archiveName, description: 'Archive of every event, for replay (docs/delivery.md)' });
    new CfnOutput(this, 'DataTableName', { value: tables.main.tableName });
    new CfnOutput(this, 'KeyTableName', { value: tables.keys.tableName });
  }
}
