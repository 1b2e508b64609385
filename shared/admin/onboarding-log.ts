import { config } from '../platform/config.js';
import { isConditionalCheckFailed, putRow } from '../platform/table/index.js';
import type { EventDetail } from '../platform/outbox.js';

const logKey = (tenant: string, eventId: string) => ({ PK: `T#${tenant}`, SK: `ONBOARDING_LOG#${eventId}` });

/** Records a delivered `TenantOnboarded` event once; a redelivery of the same event id is a no-op. */
export async function recordTenantOnboarded(detail: EventDetail, deliveredAt: string): Promise<void> {
  try {
    await putRow({
      TableName: config().tableName,
      Item: { ...logKey(detail.tenant, detail.eventId), entityType: 'OnboardingLog', detail, deliveredAt },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}
