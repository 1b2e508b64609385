import * as z from 'zod/mini';
import { config } from '../platform/config.js';
import { entity, getRow, partition, putRow, queryAll } from '../platform/table/index.js';

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

/** A dictionary entry as stored; title, description and the flags default for entries written before them. */
export const ConsentClassEntity = entity({
  type: 'ConsentClass',
  table: 'main',
  key: consentClassKey,
  row: z.looseObject({
    class: z.string(),
    title: z.optional(z.nullable(z.string())),
    description: z.optional(z.nullable(z.string())),
    editable: z.optional(z.nullable(z.boolean())),
    enabled: z.optional(z.nullable(z.boolean())),
  }),
});

export async function putConsentClass(entry: ConsentClass): Promise<{ created: boolean }> {
  const old = await putRow({
    TableName: config().tableName,
    Item: { ...consentClassKey(entry.class), entityType: ConsentClassEntity.type, ...entry },
    ReturnValues: 'ALL_OLD',
  });
  return { created: old === undefined };
}

export async function getConsentClass(name: string): Promise<ConsentClass | undefined> {
  const row = await getRow('main', consentClassKey(name), false);
  return row ? toConsentClass(row) : undefined;
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
  for (const item of (await queryAll('main', partition(DICTIONARY_PK))).map(toConsentClass)) items.set(item.class, item);
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

function toConsentClass(row: Record<string, unknown>): ConsentClass {
  const item = ConsentClassEntity.parse(row);
  return {
    class: item.class,
    title: item.title ?? '',
    description: item.description ?? '',
    editable: item.editable !== false,
    enabled: item.enabled !== false,
  };
}
