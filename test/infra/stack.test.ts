import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { pipeTargetPaths } from '../../shared/platform/outbox.js';
import { PlatformEventBus } from '../../infra/aws/constructs/event-bus.js';
import { DataTables } from '../../infra/aws/constructs/data-tables.js';
import { EnvelopeKey } from '../../infra/aws/constructs/envelope-key.js';
import { FunctionBundles, type TracingMode } from '../../infra/aws/bundling.js';
import { PlatformFunction } from '../../infra/aws/constructs/platform-function.js';
import { planRoutes, withoutTrailingSlash } from '../../infra/aws/route-plan.js';
import type { MydataStack } from '../../infra/aws/mydata-stack.js';
import { catalog } from '../../infra/catalog/index.js';
import { platformSchedules } from '../../infra/catalog/platform.js';
import type { Catalog } from '../../infra/catalog/types.js';
import { outboxStreamFilter } from '../../shared/platform/outbox.js';
import { keyTable, mainTable } from '../../shared/platform/table-design.js';
import { allResources, buildStack, jwt, logicalIdOf, type Resources } from './build-stack.js';
import { CONSENT_MANAGE, CONSENT_VIEW } from '../../shared/platform/scopes.js';

/** The platform stack and its context stacks, as one template (see allResources). */
function synth(source: Catalog) {
  const { stack } = buildStack(source);
  const { resources } = allResources(stack);
  return { stack, template: Template.fromJSON({ Resources: resources }), resources };
}

/** The Lambda function the stack built for a catalog handler file (in its context's stack). */
function functionIdFor(stack: MydataStack, handler: string): string {
  const built = [...stack.contexts.values()].map((context) => context.functions.get(handler)).find(Boolean);
  if (!built) throw new Error(`no function for ${handler}`);
  return logicalIdOf(built.function);
}

function ofType(resources: Resources, type: string) {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/** Every action the role of a function may perform, over all statements of its policies. */
function actionsOf(resources: Resources, functionId: string): string[] {
  const roleId = resources[functionId].Properties.Role['Fn::GetAtt'][0];
  return ofType(resources, 'AWS::IAM::Policy')
    .filter(([, policy]) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement)
    .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());
}

/** A second catalog over existing handler files: a handler shared by two routes, scopes, two rules. */
const extraCatalog: Catalog = {
  routes: [
    {
      id: 'ReadTenantA',
      method: 'GET',
      path: '/test/v1/{tenant}/a',
      handler: 'functions/admin/put-tenant.ts',
      scopes: [CONSENT_VIEW, CONSENT_MANAGE],
      callers: ['tenant'],
      access: ['table:read', 'keys:read', 'kms:decrypt'],
    },
    {
      id: 'WriteTenantB',
      method: 'POST',
      path: '/test/v1/{tenant}/b',
      handler: 'functions/admin/put-tenant.ts',
      scopes: [CONSENT_MANAGE],
      callers: ['tenant'],
      access: ['table:write', 'keys:write', 'kms:generate'],
    },
    {
      id: 'WriteTenantBTrailingSlash',
      method: 'POST',
      path: '/test/v1/{tenant}/b/',
      handler: 'functions/admin/put-tenant.ts',
      scopes: [CONSENT_MANAGE],
      callers: ['tenant'],
      access: ['table:write', 'keys:write', 'kms:generate'],
    },
  ],
  rules: [
    {
      id: 'OnConsentGranted',
      description: 'test rule one',
      pattern: { source: ['mydata.consent'], 'detail-type': ['ConsentGranted'], detail: { tenant: [{ prefix: 'my' }] } },
      handler: 'functions/admin/on-tenant-onboarded.ts',
      access: ['table:write'],
    },
    {
      id: 'OnConsentRevoked',
      description: 'test rule two',
      pattern: { source: ['mydata.consent'], 'detail-type': ['ConsentRevoked'] },
      handler: 'functions/admin/on-tenant-onboarded.ts',
      access: ['events:put'],
    },
  ],
};

describe.each([
  ['the platform catalog', catalog],
  ['a catalog with shared handlers and scopes', extraCatalog],
])('the stack built from %s', (_name, source) => {
  const { stack, template, resources } = synth(source);

  it('has a route for every catalog route, with its scopes, behind the JWT authorizer and a Lambda integration', () => {
    const [[authorizerId]] = ofType(resources, 'AWS::ApiGatewayV2::Authorizer');
    for (const route of source.routes) {
      // HTTP API route keys cannot end with '/': `/x/` is served by the `/x` route.
      const routes = ofType(resources, 'AWS::ApiGatewayV2::Route').filter(
        ([, r]) => r.Properties.RouteKey === `${route.method} ${withoutTrailingSlash(route.path)}`,
      );
      expect(routes).toHaveLength(1);
      const [, { Properties: props }] = routes[0];
      expect(props.AuthorizationType).toBe('JWT');
      expect(props.AuthorizerId).toEqual({ Ref: authorizerId });
      expect(props.AuthorizationScopes).toEqual(route.scopes.length > 0 ? route.scopes : undefined);

      const integrationId = props.Target['Fn::Join'][1][1].Ref as string;
      expect(resources[integrationId]).toMatchObject({
        Type: 'AWS::ApiGatewayV2::Integration',
        Properties: { IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': [functionIdFor(stack, route.handler), 'Arn'] } },
      });
      expect(resources[functionIdFor(stack, route.handler)].Type).toBe('AWS::Lambda::Function');
    }
  });

  it('has one rule per catalog rule on the mydata bus, targeting its consumer with retries and a dead-letter queue', () => {
    const [[busId]] = ofType(resources, 'AWS::Events::EventBus');
    for (const rule of source.rules) {
      const functionId = functionIdFor(stack, rule.handler);
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: busId },
        EventPattern: rule.pattern,
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
            RetryPolicy: { MaximumEventAgeInSeconds: Match.anyValue(), MaximumRetryAttempts: Match.anyValue() },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetters'), 'Arn'] } },
          },
        ],
      });
      // The same queue catches what the consumer itself failed on (Lambda async invoke).
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionId },
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetters'), 'Arn'] } } },
      });
    }
  });

  it('builds one function per handler file, never one per definition', () => {
    const handlers = new Set([...source.routes, ...source.rules].map((definition) => definition.handler));
    // + the outbox enrichment and the scheduled platform functions (the outbox sweeper)
    expect(ofType(resources, 'AWS::Lambda::Function')).toHaveLength(handlers.size + 1 + platformSchedules.length);
  });

  it('runs the outbox sweeper on a schedule with the grants it needs (docs/delivery.md)', () => {
    const [schedule] = platformSchedules;
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${schedule.everyMinutes} minute${schedule.everyMinutes === 1 ? '' : 's'})`,
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`Platform${schedule.id}`), 'Arn'] } })],
    });
  });

  it('builds every function as arm64 Node.js 22 with active tracing, 10 s, 512 MB, its own log group and the platform environment', () => {
    for (const [, fn] of ofType(resources, 'AWS::Lambda::Function')) {
      expect(fn.Properties).toMatchObject({
        Architectures: ['arm64'],
        Runtime: 'nodejs22.x',
        Timeout: 10,
        MemorySize: 512,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
      expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual(
        [
          'TABLE_NAME',
          'KEY_TABLE_NAME',
          'EVENT_BUS_NAME',
          'KMS_KEY_ID',
          'POWERTOOLS_SERVICE_NAME',
          'POWERTOOLS_METRICS_NAMESPACE',
          'NODE_OPTIONS',
        ].sort(),
      );
      expect(fn.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_METRICS_NAMESPACE: 'mydata',
        NODE_OPTIONS: '--enable-source-maps',
      });
      // The default build carries no X-Ray SDK (decision 0120); the runtime's handler is the bundle's.
      expect(fn.Properties.Handler).toBe('index.handler');
    }
  });

  it('alarms on every dead-letter queue, on API 5xx and on every function error, into the alarm topic', () => {
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    const [[topicId]] = ofType(resources, 'AWS::SNS::Topic');
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [{ Ref: topicId }] });
    }
    const alarmed = (metricName: string) =>
      alarms.filter((alarm) => alarm.MetricName === metricName).map((alarm) => alarm.Dimensions[0].Value);

    const queues = ofType(resources, 'AWS::SQS::Queue').map(([id]) => ({ 'Fn::GetAtt': [id, 'QueueName'] }));
    expect(alarmed('ApproximateNumberOfMessagesVisible')).toEqual(expect.arrayContaining(queues));
    expect(alarmed('ApproximateNumberOfMessagesVisible')).toHaveLength(queues.length);

    const functions = ofType(resources, 'AWS::Lambda::Function').map(([id]) => ({ Ref: id }));
    expect(alarmed('Errors')).toEqual(expect.arrayContaining(functions));
    expect(alarmed('Errors')).toHaveLength(functions.length);

    const [[apiId]] = ofType(resources, 'AWS::ApiGatewayV2::Api');
    expect(alarmed('5xx')).toEqual([{ Ref: apiId }]);
  });
});

describe('the platform stack', () => {
  const { stack, template, resources } = synth(catalog);
  const tables = ofType(resources, 'AWS::DynamoDB::Table');
  const [mainId, main] = tables.find(([id]) => id.includes('DataTable'))!;
  const [keysId, keys] = tables.find(([id]) => id.includes('KeyTable'))!;

  it('streams the main table (NEW_IMAGE) with TTL, and gives the key table no stream', () => {
    expect(main.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(main.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(main.Properties.GlobalSecondaryIndexes.map((index: { IndexName: string }) => index.IndexName)).toEqual(['GSI1', 'GSI2']);
    expect(keys.Properties.StreamSpecification).toBeUndefined();
  });

  it('protects both tables: on-demand, point-in-time recovery, deletion protection, retained, encrypted', () => {
    for (const table of [main, keys]) {
      expect(table).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { SSEEnabled: true },
        },
      });
    }
  });

  it('keeps destroyed wrapped keys restorable for 1 day at most: the key table recovers 1 day back, the main table 35', () => {
    expect(keys.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 1 });
    expect(main.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 });
    // No backup plan or vault of our own keeps a longer copy of the key table.
    expect(ofType(resources, 'AWS::Backup::BackupPlan')).toEqual([]);
  });

  it('rotates the envelope key behind alias/mydata and hands its ARN to every function as KMS_KEY_ID', () => {
    const [keyId] = ofType(resources, 'AWS::KMS::Alias')
      .filter(([, alias]) => alias.Properties.AliasName === 'alias/mydata')
      .map(([, alias]) => alias.Properties.TargetKeyId['Fn::GetAtt'][0] as string);
    expect(resources[keyId].Properties.EnableKeyRotation).toBe(true);
    for (const [, fn] of ofType(resources, 'AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        KMS_KEY_ID: { 'Fn::GetAtt': [keyId, 'Arn'] },
        TABLE_NAME: { Ref: mainId },
        KEY_TABLE_NAME: { Ref: keysId },
      });
    }
  });

  it('has a custom bus named mydata with an archive', () => {
    const [[busId, bus]] = ofType(resources, 'AWS::Events::EventBus');
    expect(bus.Properties.Name).toBe('mydata');
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      RetentionDays: Match.anyValue(),
    });
  });

  it('pipes outbox INSERTs from the main table stream through the enrichment onto the bus', () => {
    const [[busId]] = ofType(resources, 'AWS::Events::EventBus');
    const enrichmentId = logicalIdOf((stack.node.findChild('PlatformOutboxEnrich') as PlatformFunction).function);
    const [[, pipe]] = ofType(resources, 'AWS::Pipes::Pipe');
    expect(pipe.Properties).toMatchObject({
      Source: { 'Fn::GetAtt': [mainId, 'StreamArn'] },
      Enrichment: { 'Fn::GetAtt': [enrichmentId, 'Arn'] },
      Target: { 'Fn::GetAtt': [busId, 'Arn'] },
      TargetParameters: { EventBridgeEventBusParameters: { Source: pipeTargetPaths.source, DetailType: pipeTargetPaths.detailType } },
      SourceParameters: {
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(outboxStreamFilter) }] },
        DynamoDBStreamParameters: {
          StartingPosition: 'LATEST',
          BatchSize: expect.any(Number),
          MaximumRetryAttempts: expect.any(Number),
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetters/), 'Arn'] } },
        },
      },
    });
    // No input template: the enrichment's object is the detail, as it is.
    expect(pipe.Properties.TargetParameters.InputTemplate).toBeUndefined();
    expect(pipe.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/OutboxRoleDefaultPolicy/)]));

    const roleId = pipe.Properties.RoleArn['Fn::GetAtt'][0];
    const pipeActions = ofType(resources, 'AWS::IAM::Policy')
      .filter(([, policy]) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement)
      .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());
    expect(pipeActions).toEqual(
      expect.arrayContaining(['dynamodb:GetRecords', 'lambda:InvokeFunction', 'events:PutEvents', 'sqs:SendMessage']),
    );
  });

  it('grants each function only what its access list names', () => {
    // ListConsentClasses: table:read only.
    const reader = actionsOf(resources, functionIdFor(stack, 'functions/consent/list-consent-classes.ts'));
    expect(reader).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(reader.filter((action) => /^(kms|events|sqs):|dynamodb:(Put|Update|Delete|BatchWrite)/.test(action))).toEqual([]);
  });

  it('lets a write-only consumer guard its transactions with condition checks, without read access', () => {
    const writer = actionsOf(resources, functionIdFor(stack, 'functions/admin/on-tenant-onboarded.ts'));
    expect(writer).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:ConditionCheckItem']));
    expect(writer).not.toContain('dynamodb:GetItem');
  });

  it('puts each bounded context in its own nested stack, every template well below 500 resources', () => {
    const contexts = new Set([...catalog.routes, ...catalog.rules].map((definition) => definition.handler.split('/')[1]));
    expect([...stack.contexts.keys()].sort()).toEqual([...contexts].sort());
    for (const template of [stack, ...stack.contexts.values()].map((s) => Template.fromStack(s))) {
      expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(400);
    }
  });

  it('exports the API URL, the bus name and the table names', () => {
    const outputs = Template.fromStack(stack).toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'EventBusName', 'DataTableName', 'KeyTableName']));
  });

  it('configures the JWT authorizer from the given issuer and audience', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: jwt.issuer, Audience: [jwt.audience] },
    });
  });

  it('logs API access and throttles the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context.requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });
});

describe('a handler shared by several definitions', () => {
  const { stack, resources } = synth(extraCatalog);

  it('gets the union of their access', () => {
    const actions = actionsOf(resources, functionIdFor(stack, 'functions/admin/put-tenant.ts'));
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'kms:Decrypt', 'kms:GenerateDataKey']),
    );
  });

  it('gets PutEvents only where a definition asks for events:put', () => {
    expect(actionsOf(resources, functionIdFor(stack, 'functions/admin/on-tenant-onboarded.ts'))).toContain('events:PutEvents');
    expect(actionsOf(resources, functionIdFor(stack, 'functions/admin/put-tenant.ts'))).not.toContain('events:PutEvents');
  });
});

describe('routes that differ only by a trailing slash', () => {
  const base = extraCatalog.routes[1];

  it('become one API Gateway route', () => {
    expect(planRoutes([base, { ...base, id: 'Slash', path: `${base.path}/` }])).toEqual([
      expect.objectContaining({ id: base.id, path: base.path, catalogIds: [base.id, 'Slash'] }),
    ]);
  });

  it('are refused when they disagree on scopes or handler, which one API Gateway route cannot express', () => {
    expect(() => planRoutes([base, { ...base, id: 'Slash', path: `${base.path}/`, scopes: [] }])).toThrow(/Slash/);
    expect(() =>
      planRoutes([base, { ...base, id: 'Slash', path: `${base.path}/`, handler: 'functions/admin/put-consent-class.ts' }]),
    ).toThrow(/differ in handler or scopes/);
  });
});

describe('PlatformFunction environment', () => {
  function platformFunction(environment: Record<string, string>, tracing: TracingMode = 'off') {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'EnvTest');
    const tables = new DataTables(stack, 'Data');
    const resources = {
      mainTable: { table: tables.main, design: mainTable },
      keyTable: { table: tables.keys, design: keyTable },
      envelopeKey: new EnvelopeKey(stack, 'Key').key,
      bus: new PlatformEventBus(stack, 'Events').bus,
    };
    new PlatformFunction(stack, 'Fn', {
      entry: 'functions/admin/put-tenant.ts',
      serviceName: 'admin',
      access: [],
      resources,
      environment,
      bundles: new FunctionBundles(['functions/admin/put-tenant.ts'], tracing),
    });
    return Template.fromStack(stack);
  }

  it('adds the variables passed in to the platform ones', () => {
    platformFunction({ FEATURE_FLAG: 'on' }).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectEquals({
          TABLE_NAME: Match.anyValue(),
          KEY_TABLE_NAME: Match.anyValue(),
          EVENT_BUS_NAME: Match.anyValue(),
          KMS_KEY_ID: Match.anyValue(),
          POWERTOOLS_SERVICE_NAME: 'admin',
          POWERTOOLS_METRICS_NAMESPACE: 'mydata',
          NODE_OPTIONS: '--enable-source-maps',
          FEATURE_FLAG: 'on',
        }),
      },
    });
  });

  it('keeps response bodies out of X-Ray segments when the build carries the tracer (tracing on)', () => {
    const template = platformFunction({}, 'on');
    template.hasResourceProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false' }) },
    });
  });

  it('refuses a passed-in variable that would silently replace a platform one', () => {
    expect(() => platformFunction({ TABLE_NAME: 'other' })).toThrow(/TABLE_NAME/);
  });
});
