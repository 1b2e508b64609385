import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { recordSdkCall } from './sdk-calls.js';

/**
 * Retry budgets are explicit so the worst case stays under the function timeout (10 s), and that
 * under API Gateway's 30 s: DynamoDB 3 attempts x 2 s, KMS 3 x 2 s, EventBridge 3 x 2 s.
 */
const requestHandler = () => new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 2000 });

interface MiddlewareStackLike {
  add: (fn: unknown, options: { step: 'initialize'; name: string }) => void;
}

function countCalls(client: { middlewareStack: MiddlewareStackLike }, service: string) {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      recordSdkCall(service, (context.commandName ?? 'Unknown').replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'mydataCountCalls' },
  );
}

let dynamo: DynamoDBDocumentClient | undefined;
let kms: KMSClient | undefined;
let events: EventBridgeClient | undefined;

export function dynamoClient(): DynamoDBDocumentClient {
  if (!dynamo) {
    const base = new DynamoDBClient({ maxAttempts: 3, requestHandler: requestHandler() });
    dynamo = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    countCalls(dynamo as unknown as { middlewareStack: MiddlewareStackLike }, 'DynamoDB');
  }
  return dynamo;
}

export function kmsClient(): KMSClient {
  if (!kms) {
    kms = new KMSClient({ maxAttempts: 3, requestHandler: requestHandler() });
    countCalls(kms as unknown as { middlewareStack: MiddlewareStackLike }, 'KMS');
  }
  return kms;
}

export function eventBridgeClient(): EventBridgeClient {
  if (!events) {
    events = new EventBridgeClient({ maxAttempts: 3, requestHandler: requestHandler() });
    countCalls(events as unknown as { middlewareStack: MiddlewareStackLike }, 'EventBridge');
  }
  return events;
}
