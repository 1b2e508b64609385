import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../platform/clients.js';
import { config } from '../platform/config.js';
import type { EventDetail } from '../platform/outbox.js';

const logKey = (tenant: string, eventId: string) => ({ PK: `T#${tenant}`, SK: `ONBOARDING_LOG#${eventId}` });

/** Records a delivered `TenantOnboarded` event once; a redelivery of the same event id is a no-op. */
export async function recordTenantOnboarded(detail: EventDetail, deliveredAt: string): Promise<void> {
  try {
    await dynamoClient().send(
      new PutCommand({
        TableName: config().tableName,
        Item: { ...logKey(detail.tenant, detail.eventId), entityType: 'OnboardingLog', detail, deliveredAt },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}
