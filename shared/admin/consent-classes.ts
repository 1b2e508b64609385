import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../platform/clients.js';
import { config } from '../platform/config.js';

/** One entry of the platform-wide consent class dictionary (the same for every tenant). */
export interface ConsentClass {
  readonly class: string;
  readonly title: string;
  readonly description: string;
  readonly editable: boolean;
  readonly enabled: boolean;
}

/** All classes live in one partition, sorted by name, so a page of the dictionary is one Query. */
const DICTIONARY_PK = 'CONSENTCLASS';
export const consentClassKey = (name: string) => ({ PK: DICTIONARY_PK, SK: name });

export async function putConsentClass(entry: ConsentClass): Promise<{ created: boolean }> {
  const result = await dynamoClient().send(
    new PutCommand({
      TableName: config().tableName,
      Item: { ...consentClassKey(entry.class), entityType: 'ConsentClass', ...entry },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return { created: result.Attributes === undefined };
}

export async function getConsentClass(name: string): Promise<ConsentClass | undefined> {
  const result = await dynamoClient().send(
    new GetCommand({ TableName: config().tableName, Key: consentClassKey(name) }),
  );
  return result.Item ? toConsentClass(result.Item) : undefined;
}

export interface ConsentClassPage {
  readonly items: ConsentClass[];
  readonly total: number;
}

/**
 * The dictionary is small (tens of entries), so a page is cut from one Query of the whole
 * partition; that keeps `pageNumber` paging exact with a single DynamoDB call.
 */
export async function listConsentClasses(page: {
  pageNumber: number;
  pageSize: number;
  descending: boolean;
}): Promise<ConsentClassPage> {
  const items: ConsentClass[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await dynamoClient().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': DICTIONARY_PK },
        ScanIndexForward: !page.descending,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(result.Items ?? []).map(toConsentClass));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  const start = (page.pageNumber - 1) * page.pageSize;
  return { items: items.slice(start, start + page.pageSize), total: items.length };
}

function toConsentClass(item: Record<string, unknown>): ConsentClass {
  return {
    class: String(item.class),
    title: String(item.title ?? ''),
    description: String(item.description ?? ''),
    editable: item.editable !== false,
    enabled: item.enabled !== false,
  };
}
