import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RuleDefinition } from '../../catalog/types.js';
import { deadLetterQueue } from './dead-letter-queue.js';
import { type FunctionsByHandler, functionFor, type PlatformFunction } from './platform-function.js';

/** Delivery to Lambda is retried for hours: throttling after a deploy or an outage must not lose events. */
const RULE_RETRY = { maxEventAge: Duration.hours(6), retryAttempts: 20 };
/** Once Lambda accepted the event, a consumer that keeps failing gets two more attempts (async invoke). */
const CONSUMER_RETRY = { maxEventAge: Duration.hours(6), retryAttempts: 2 };

/** The custom bus `mydata` with an archive (replay after a consumer bug). */
export class PlatformEventBus extends Construct {
  readonly bus: events.EventBus;
  /** Replays go through it (`aws events start-replay`, docs/delivery.md). */
  readonly archive: events.Archive;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: 'mydata', description: 'mydata domain events (outbox)' });
    this.archive = this.bus.archive('Archive', {
      description: 'Every mydata event, for replay to a fixed consumer',
      eventPattern: { account: [Stack.of(this).account] },
      retention: Duration.days(90),
    });
  }
}

export interface EventRulesProps {
  readonly bus: events.IEventBus;
  readonly rules: readonly RuleDefinition[];
  readonly functions: FunctionsByHandler;
}

/**
 * One Rule per catalog rule. Each consumer function has one dead-letter queue: events the bus could not
 * deliver and events the function failed on land there, so "what did this consumer miss" has one answer.
 */
export class EventRules extends Construct {
  /** Dead-letter queue per consumer handler file. */
  readonly deadLetterQueues = new Map<string, sqs.Queue>();

  constructor(scope: Construct, id: string, props: EventRulesProps) {
    super(scope, id);
    for (const rule of props.rules) {
      const consumer = functionFor(props.functions, rule.handler);
      new events.Rule(this, rule.id, {
        eventBus: props.bus,
        description: rule.description,
        eventPattern: rule.pattern as events.EventPattern,
        targets: [
          new targets.LambdaFunction(consumer.function, { deadLetterQueue: this.queueFor(rule, consumer), ...RULE_RETRY }),
        ],
      });
    }
  }

  private queueFor(rule: RuleDefinition, consumer: PlatformFunction): sqs.Queue {
    const existing = this.deadLetterQueues.get(rule.handler);
    if (existing) return existing;
    const queue = deadLetterQueue(this, `${consumer.node.id}DeadLetters`);
    consumer.function.configureAsyncInvoke({ onFailure: new SqsDestination(queue), ...CONSUMER_RETRY });
    this.deadLetterQueues.set(rule.handler, queue);
    return queue;
  }
}
