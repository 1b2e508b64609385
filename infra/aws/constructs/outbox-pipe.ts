import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pipeTargetPaths } from '../../../shared/platform/outbox.js';
import { outboxStreamFilter } from '../../../shared/platform/outbox.js';
import { acknowledge, findingReference } from '../nag-findings.js';
import { deadLetterQueue } from './dead-letter-queue.js';

export interface OutboxPipeProps {
  /** The main table; its NEW_IMAGE stream carries the outbox rows. */
  readonly table: dynamodb.ITable;
  readonly bus: events.IEventBus;
  /** functions/platform/outbox-enrich.ts: parses the row's `detail` string into the event detail. */
  readonly enrichment: lambda.IFunction;
}

/**
 * The AWS half of the transactional outbox: main table stream -> filter (outbox INSERTs only) ->
 * enrichment -> the bus. Ordered per shard; a poison record is isolated by bisecting and parked in the
 * pipe's dead-letter queue (which receives the record's stream coordinates, not its content).
 */
export class OutboxPipe extends Construct {
  readonly deadLetters: sqs.Queue;
  readonly pipe: pipes.CfnPipe;

  constructor(scope: Construct, id: string, props: OutboxPipeProps) {
    super(scope, id);
    const streamArn = props.table.tableStreamArn;
    if (!streamArn) throw new Error('The outbox pipe needs the main table stream');

    this.deadLetters = deadLetterQueue(this, 'DeadLetters');
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com') });
    props.table.grantStreamRead(role);
    props.enrichment.grantInvoke(role);
    props.bus.grantPutEventsTo(role);
    this.deadLetters.grantSendMessages(role);
    logGroup.grantWrite(role);

    this.pipe = new pipes.CfnPipe(this, 'Pipe', {
      description: 'Transactional outbox: main table stream to the mydata bus',
      roleArn: role.roleArn,
      source: streamArn,
      sourceParameters: {
        filterCriteria: { filters: [{ pattern: JSON.stringify(outboxStreamFilter) }] },
        dynamoDbStreamParameters: {
          startingPosition: 'LATEST',
          batchSize: 10,
          maximumBatchingWindowInSeconds: 1,
          maximumRetryAttempts: 10,
          // The stream keeps records for 24 h; older ones could not be read anyway.
          maximumRecordAgeInSeconds: Duration.hours(24).toSeconds(),
          onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          deadLetterConfig: { arn: this.deadLetters.queueArn },
        },
      },
      enrichment: props.enrichment.functionArn,
      target: props.bus.eventBusArn,
      targetParameters: {
        eventBridgeEventBusParameters: { source: pipeTargetPaths.source, detailType: pipeTargetPaths.detailType },
      },
      // Errors only, and without execution data: event details name tenants and people.
      logConfiguration: { level: 'ERROR', cloudwatchLogsLogDestination: { logGroupArn: logGroup.logGroupArn } },
    });

    // The pipe checks its permissions when it is created: create it only after the role's policy exists.
    this.pipe.node.addDependency(role);

    acknowledge(
      this,
      'AwsSolutions-IAM5[Resource::*]',
      'dynamodb:ListStreams (added by grantStreamRead) has no resource-level permissions; reading is scoped to the table stream.',
    );
    acknowledge(
      this,
      `AwsSolutions-IAM5[Resource::${findingReference(this, props.enrichment.functionArn)}:*]`,
      'grantInvoke covers the versions and aliases of the one enrichment function the pipe calls.',
    );
  }
}
