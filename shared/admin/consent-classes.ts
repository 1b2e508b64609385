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

/** The seed's "sorting expression": a field and a direction; a bare field means ascending. */
export interface ConsentClassSort {
  readonly field: 'class' | 'title';
  readonly descending: boolean;
}
export const CONSENT_CLASS_SORTS = ['class', 'class:asc', 'class:desc', 'title', 'title:asc', 'title:desc'] as const;
export function parseConsentClassSort(expression: (typeof CONSENT_CLASS_SORTS)[number]): ConsentClassSort {
  const [field, direction] = expression.split(':') as ['class' | 'title', string | undefined];
  return { field, descending: direction === 'desc' };
}

/** The whole dictionary (tens of entries, one partition): one Query, strongly consistent. */
export async function loadConsentClasses(): Promise<Map<string, ConsentClass>> {
  const items = new Map<string, ConsentClass>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await dynamoClient().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': DICTIONARY_PK },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of (result.Items ?? []).map(toConsentClass)) items.set(item.class, item);
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * The dictionary is small (tens of entries), so a page is cut from one Query of the whole partition;
 * that keeps `pageNumber` paging exact with a single DynamoDB call. Sorted by class name or by title
 * (ties by class name); `offeredOnly` leaves out disabled classes (what guests are offered).
 */
export async function listConsentClasses(page: {
  pageNumber: number;
  pageSize: number;
  sort: ConsentClassSort;
  offeredOnly?: boolean;
}): Promise<ConsentClassPage> {
  const all = [...(await loadConsentClasses()).values()].filter((c) => !page.offeredOnly || c.enabled);
  const byClass = (a: ConsentClass, b: ConsentClass) => (a.class < b.class ? -1 : a.class > b.class ? 1 : 0);
  const compare = page.sort.field === 'title'
    ? (a: ConsentClass, b: ConsentClass) => a.title.localeCompare(b.title, 'en') || byClass(a, b)
    : byClass;
  const items = all.sort((a, b) => (page.sort.descending ? -compare(a, b) : compare(a, b)));
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
