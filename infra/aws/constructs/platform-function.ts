import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { TableDesign } from '../../../shared/platform/table-design.js';
import type { Access } from '../../catalog/types.js';
import { FunctionBundles } from '../bundling.js';
import { acknowledge } from '../nag-findings.js';
import { grantAccess } from './access-grants.js';

/** A table and the design it was built from (the design says whether grants reach GSIs). */
export interface TableAccess {
  readonly table: dynamodb.ITable;
  readonly design: TableDesign;
}

/** What every function is wired to; grants pick from it according to the access list. */
export interface PlatformResources {
  readonly mainTable: TableAccess;
  readonly keyTable: TableAccess;
  readonly envelopeKey: kms.IKey;
  readonly bus: events.IEventBus;
}

export interface PlatformFunctionProps {
  /** Entry file relative to the repo root (the catalog's `handler`). */
  readonly entry: string;
  /** Powertools service name (the bounded context). */
  readonly serviceName: string;
  readonly access: readonly Access[];
  readonly resources: PlatformResources;
  readonly description?: string;
  /** Extra variables; they are added to the platform's, and may not redefine one of them. */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * The stack's one bundling pass (infra/aws/bundling.ts), which must list `entry`. Default: a pass of
   * this entry alone, tracing off (for a function built outside the platform stack).
   */
  readonly bundles?: FunctionBundles;
}

/**
 * One Lambda function of the platform: ESM bundle, arm64, Node.js 22, its own log group and role. Lambda's
 * active tracing is always on; the X-Ray SDK is in the bundle only when the stack's tracing mode is `on`.
 */
export class PlatformFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    const { resources } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    // An own role without AWSLambdaBasicExecutionRole: logging is granted on this log group only.
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(role);

    const bundles = props.bundles ?? new FunctionBundles([props.entry], 'off');
    this.function = new lambda.Function(this, 'Function', {
      code: bundles.code(props.entry),
      handler: 'index.handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup: this.logGroup,
      environment: platformEnvironment(props, bundles.tracing === 'on'),
    });

    grantAccess(this, role, props.access, resources);
    acknowledge(
      this,
      'AwsSolutions-IAM5[Resource::*]',
      'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource scoping.',
    );
    acknowledge(
      this,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime the platform is built and tested for (Powertools 2, middy 6, SDK v3); moving to 24 is a deliberate upgrade, not a drive-by.',
    );
  }
}

/** The platform's functions, keyed by the catalog handler file they run. */
export type FunctionsByHandler = ReadonlyMap<string, PlatformFunction>;

export function functionFor(functions: FunctionsByHandler, handler: string): PlatformFunction {
  const found = functions.get(handler);
  if (!found) throw new Error(`No function was built for handler ${handler}`);
  return found;
}

function platformEnvironment(props: PlatformFunctionProps, withTracer: boolean): Record<string, string> {
  const { mainTable, keyTable, envelopeKey, bus } = props.resources;
  const platform: Record<string, string> = {
    TABLE_NAME: mainTable.table.tableName,
    KEY_TABLE_NAME: keyTable.table.tableName,
    EVENT_BUS_NAME: bus.eventBusName,
    KMS_KEY_ID: envelopeKey.keyArn,
    POWERTOOLS_SERVICE_NAME: props.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: 'mydata',
    NODE_OPTIONS: '--enable-source-maps',
  };
  // Responses carry decrypted user data and secrets: they must never land in X-Ray segment metadata.
  if (withTracer) platform.POWERTOOLS_TRACER_CAPTURE_RESPONSE = 'false';
  const extra = props.environment ?? {};
  const clashes = Object.keys(extra).filter((name) => name in platform);
  if (clashes.length > 0) {
    throw new Error(`${props.entry}: environment may not redefine platform variables ${clashes.join(', ')}`);
  }
  return { ...platform, ...extra };
}
