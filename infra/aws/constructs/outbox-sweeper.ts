import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface OutboxSweeperScheduleProps {
  /** functions/platform/sweep-outbox.ts, built like every platform function. */
  readonly sweeper: lambda.IFunction;
  readonly everyMinutes: number;
}

/**
 * The outbox sweeper's schedule (docs/delivery.md): a rule on the default bus (schedules cannot live on
 * a custom bus) that invokes the sweeper every few minutes. A missed run is harmless: the next one finds
 * the same due rows, so retries are off and there is nothing to dead-letter.
 */
export class OutboxSweeperSchedule extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: OutboxSweeperScheduleProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Re-publishes outbox events not confirmed within their bound',
      schedule: events.Schedule.rate(Duration.minutes(props.everyMinutes)),
      targets: [new targets.LambdaFunction(props.sweeper, { retryAttempts: 0, maxEventAge: Duration.minutes(props.everyMinutes * 2) })],
    });
  }
}
