import { CfnParameter, NestedStack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { keyTable, mainTable } from '../../../shared/platform/table-design.js';
import type { RouteDefinition, RuleDefinition } from '../../catalog/types.js';
import type { FunctionBundles } from '../bundling.js';
import type { FunctionPlan } from '../function-plan.js';
import { alarmOnDeadLetters, alarmOnErrors } from './alarms.js';
import { ApiRoutes } from './api-routes.js';
import { EventRules } from './event-bus.js';
import { PlatformFunction, type PlatformResources } from './platform-function.js';

/** What a context stack uses from the platform stack; passed in as nested-stack parameters. */
export interface SharedPlatform {
  readonly mainTable: dynamodb.ITable;
  readonly keyTable: dynamodb.ITable;
  readonly envelopeKey: kms.IKey;
  readonly bus: events.IEventBus;
  readonly api: apigw.IHttpApi;
  readonly authorizer: apigw.IHttpAuthorizer;
  readonly alarmTopic: sns.ITopic;
}

export interface ContextStackProps {
  /** The bounded context (`functions/<context>/`). */
  readonly context: string;
  readonly functions: readonly FunctionPlan[];
  readonly routes: readonly RouteDefinition[];
  readonly rules: readonly RuleDefinition[];
  readonly shared: SharedPlatform;
  /** The stack's one bundling pass, which lists every function of this context. */
  readonly bundles: FunctionBundles;
}

/**
 * The functions of one bounded context with their routes, rules, dead-letter queues and alarms.
 * A nested stack per context keeps every template far below CloudFormation's 500 resources (about
 * eight per function), however many routes the catalog gains.
 */
export class ContextStack extends NestedStack {
  readonly functions = new Map<string, PlatformFunction>();

  constructor(scope: Construct, id: string, props: ContextStackProps) {
    super(scope, id, { description: `mydata ${props.context}: functions, routes and event rules` });
    const { shared } = props;

    // Explicit parameters (rather than implicit cross-stack references) give the imported resources
    // known names, which the cdk-nag acknowledgements of the grants refer to.
    const resources: PlatformResources = {
      mainTable: {
        table: dynamodb.Table.fromTableAttributes(this, 'DataTable', {
          tableName: this.parameter('DataTableName', shared.mainTable.tableName),
          globalIndexes: mainTable.indexes.map((index) => index.name),
        }),
        design: mainTable,
      },
      keyTable: {
        table: dynamodb.Table.fromTableAttributes(this, 'KeyTable', {
          tableName: this.parameter('KeyTableName', shared.keyTable.tableName),
        }),
        design: keyTable,
      },
      envelopeKey: kms.Key.fromKeyArn(this, 'EnvelopeKey', this.parameter('EnvelopeKeyArn', shared.envelopeKey.keyArn)),
      bus: events.EventBus.fromEventBusAttributes(this, 'Bus', {
        eventBusName: this.parameter('EventBusName', shared.bus.eventBusName),
        eventBusArn: this.parameter('EventBusArn', shared.bus.eventBusArn),
        eventBusPolicy: '',
      }),
    };
    const alarmTopic = sns.Topic.fromTopicArn(this, 'AlarmTopic', this.parameter('AlarmTopicArn', shared.alarmTopic.topicArn));

    for (const plan of props.functions) {
      const fn = new PlatformFunction(this, plan.constructId, {
        entry: plan.handler,
        serviceName: plan.context,
        access: plan.access,
        resources,
        description: `mydata ${plan.definitionIds.join(', ')}`.slice(0, 256),
        bundles: props.bundles,
      });
      this.functions.set(plan.handler, fn);
      alarmOnErrors(this, plan.constructId, fn.function, alarmTopic);
    }

    if (props.routes.length > 0) {
      new ApiRoutes(this, 'Routes', {
        api: apigw.HttpApi.fromHttpApiAttributes(this, 'Api', { httpApiId: this.parameter('HttpApiId', shared.api.apiId) }),
        authorizer: apigw.HttpAuthorizer.fromHttpAuthorizerAttributes(this, 'Authorizer', {
          authorizerId: this.parameter('AuthorizerId', shared.authorizer.authorizerId),
          authorizerType: apigw.HttpAuthorizerType.JWT,
        }),
        routes: props.routes,
        functions: this.functions,
      });
    }
    if (props.rules.length > 0) {
      const rules = new EventRules(this, 'Rules', { bus: resources.bus, rules: props.rules, functions: this.functions });
      for (const [handler, queue] of rules.deadLetterQueues) {
        alarmOnDeadLetters(this, this.functions.get(handler)!.node.id, queue, alarmTopic);
      }
    }
  }

  private parameter(name: string, value: string): string {
    this.setParameter(name, value);
    return new CfnParameter(this, name, { type: 'String' }).valueAsString;
  }
}
