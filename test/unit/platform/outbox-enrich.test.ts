import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { handler, type OutboxStreamRecord, pipeTargetPaths } from '../../../functions/platform/outbox-enrich.js';
import { domainEvent, outboxPut, outboxStreamFilter } from '../../../shared/platform/outbox.js';

// The function reads its configuration once, from the environment the stack gives it.
Object.assign(process.env, {
  TABLE_NAME: 'enrich-test-table',
  KEY_TABLE_NAME: 'enrich-test-keys',
  EVENT_BUS_NAME: 'mydata',
  KMS_KEY_ID: 'alias/mydata',
});

/** The stream record DynamoDB writes for a committed outbox Put, as the pipe hands it over. */
function streamRecordOf(item: Record<string, unknown>): OutboxStreamRecord {
  return { eventName: 'INSERT', dynamodb: { NewImage: marshall(item) as Record<string, AttributeValue> } };
}

/** Evaluates the pipe's target JSON paths (`$.a.b`) the way Pipes does on the enrichment output. */
function atPath(value: unknown, path: string): unknown {
  return path
    .replace(/^\$\./, '')
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

describe('the outbox pipe enrichment', () => {
  const event = domainEvent('mydata.consent', 'ConsentGranted', {
    tenant: 'mycomicsshop',
    consentReference: 'ref-1',
    schemas: ['PartnerData'],
  });
  const outboxRow = outboxPut(event).Put.Item;

  it('turns an outbox row into the domain detail as a JSON object, with source and detail-type where the pipe reads them', async () => {
    const [published] = await handler([streamRecordOf(outboxRow)]);

    const { outbox, ...detail } = published;
    expect(detail).toEqual(event.detail);
    expect(atPath(published, pipeTargetPaths.source)).toBe('mydata.consent');
    expect(atPath(published, pipeTargetPaths.detailType)).toBe('ConsentGranted');
    expect(outbox).toEqual({ source: 'mydata.consent', detailType: 'ConsentGranted' });
  });

  it('keeps the order and size of a batch of outbox rows', async () => {
    const second = domainEvent('mydata.partner', 'PartnerCreated', { tenant: 'mycomicsshop', partnerId: 'ABC12' });
    const published = await handler([streamRecordOf(outboxRow), streamRecordOf(outboxPut(second).Put.Item)]);
    expect(published.map((entry) => [entry.outbox.detailType, entry.eventId])).toEqual([
      ['ConsentGranted', event.detail.eventId],
      ['PartnerCreated', second.detail.eventId],
    ]);
  });

  it('drops records that are not outbox rows, the same test as the pipe filter', async () => {
    const domainRow = { PK: 'T#mycomicsshop#REF#ref-1', SK: 'CONSENT#PartnerData', entityType: 'Consent' };
    expect(outboxStreamFilter.dynamodb.NewImage.entityType.S).toEqual([outboxRow.entityType]);
    expect(await handler([streamRecordOf(domainRow), { eventName: 'REMOVE', dynamodb: {} }])).toEqual([]);
  });

  it('fails on a detail that is not a JSON object, so the pipe retries and parks it instead of publishing it', async () => {
    await expect(handler([streamRecordOf({ ...outboxRow, detail: '{not json' })])).rejects.toThrow();
    await expect(handler([streamRecordOf({ ...outboxRow, detail: '"just a string"' })])).rejects.toThrow(/not a JSON object/);
  });

  it('refuses a detail that already uses the reserved routing member', async () => {
    const clash = { ...outboxRow, detail: JSON.stringify({ ...event.detail, outbox: 'mine' }) };
    await expect(handler([streamRecordOf(clash)])).rejects.toThrow(/outbox/);
  });
});
