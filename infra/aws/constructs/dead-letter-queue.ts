import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag-findings.js';

/**
 * A queue where failed deliveries wait for an operator. SSE-SQS rather than a customer key: EventBridge,
 * Lambda destinations and Pipes can all write to it without extra key-policy grants, and it holds
 * event envelopes (ids, tenant), not the encrypted profile data itself.
 */
export function deadLetterQueue(scope: Construct, id: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(queue, 'AwsSolutions-SQS3', 'This queue is itself the dead-letter queue of a consumer or of the outbox pipe; an alarm watches it.');
  return queue;
}
