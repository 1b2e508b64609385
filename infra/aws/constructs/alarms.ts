import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The SNS topic every alarm notifies; optionally with an e-mail subscriber (context `mydata:alarmEmail`). */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: { readonly email?: string }) {
    super(scope, id);
    // CloudWatch cannot publish to a topic under the AWS-managed SNS key; a customer key lets it.
    const key = new kms.Key(this, 'Key', { description: 'mydata alarm topic encryption', enableKeyRotation: true });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'mydata alarms', masterKey: key, enforceSSL: true });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}

/**
 * An alarm on the first occurrence: a parked event, a 5xx or a function error is something a person
 * should look at, not a rate to tolerate.
 */
export function alarmOnFirst(
  scope: Construct,
  id: string,
  metric: cloudwatch.IMetric,
  description: string,
  topic: sns.ITopic,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric,
    alarmDescription: description,
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(topic));
  return alarm;
}

export function alarmOnDeadLetters(scope: Construct, owner: string, queue: sqs.IQueue, topic: sns.ITopic): cloudwatch.Alarm {
  return alarmOnFirst(
    scope,
    `${owner}DeadLettersAlarm`,
    queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    `Events are waiting in the dead-letter queue of ${owner}`,
    topic,
  );
}

export function alarmOnErrors(scope: Construct, owner: string, fn: lambda.IFunction, topic: sns.ITopic): cloudwatch.Alarm {
  return alarmOnFirst(
    scope,
    `${owner}ErrorsAlarm`,
    fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
    `${owner} failed`,
    topic,
  );
}
