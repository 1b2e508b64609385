/**
 * PutEvents as EventBridge answers it: request-level problems (no entries, more than 10, over 256 KB)
 * reject the whole call with a ValidationException; a bad entry fails alone with an ErrorCode while the
 * others are accepted. Accepted entries become the event envelope that rules see and targets receive.
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';

/** What a rule's target receives; the same shape EventBridge delivers to a Lambda target. */
export type EventEnvelope = EventBridgeEvent<string, Record<string, unknown>>;

export type FailedEntry = { ErrorCode: string; ErrorMessage: string };
export type PutEventsResultEntry = { EventId: string } | FailedEntry;

export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

export interface BusIdentity {
  readonly busName: string;
  readonly region: string;
  readonly account: string;
}

const MAX_ENTRIES = 10;
/** "The total entry size must be less than 256KB" (Calculating Amazon EventBridge PutEvents event entry size). */
const MAX_TOTAL_ENTRY_BYTES = 256 * 1024;

export function putEvents(request: unknown, bus: BusIdentity, now = new Date()) {
  const entries = (request as { Entries?: unknown } | null)?.Entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
    const count = Array.isArray(entries) ? entries.length : 0;
    throw new AwsJsonError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ` +
        `${count < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`}`,
    );
  }
  const totalBytes = entries.reduce((sum: number, entry) => sum + entrySize(entry), 0);
  if (totalBytes > MAX_TOTAL_ENTRY_BYTES) {
    throw new AwsJsonError('ValidationException', 'Total size of the entries in the request is over the limit.');
  }
  const results: PutEventsResultEntry[] = [];
  const accepted: EventEnvelope[] = [];
  for (const entry of entries) {
    const outcome = toEnvelope(entry as Record<string, unknown>, bus, now);
    if ('ErrorCode' in outcome) results.push(outcome);
    else {
      accepted.push(outcome);
      results.push({ EventId: outcome.id });
    }
  }
  const failed = results.filter((r) => 'ErrorCode' in r).length;
  return { response: { FailedEntryCount: failed, Entries: results }, accepted };
}

/** Per AWS: Time counts 14 bytes; Source, DetailType, Detail and each resource their UTF-8 length. */
function entrySize(entry: unknown): number {
  const e = (entry ?? {}) as Record<string, unknown>;
  const bytes = (v: unknown) => (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : 0);
  const resources = Array.isArray(e.Resources) ? e.Resources : [];
  return (e.Time === undefined ? 0 : 14) + bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail) +
    resources.reduce((sum: number, r) => sum + bytes(r), 0);
}

const invalid = (parameter: string, reason: string): FailedEntry => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
});

function toEnvelope(entry: Record<string, unknown>, bus: BusIdentity, now: Date): EventEnvelope | FailedEntry {
  for (const required of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry?.[required] !== 'string' || entry[required] === '') {
      return invalid(required, `${required} is a required argument.`);
    }
  }
  const detail = parseObject(entry.Detail as string);
  if (!detail) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  const busProblem = checkBus(entry.EventBusName, bus);
  if (busProblem) return busProblem;
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string')) {
    return invalid('Resources', 'Resources must be a list of strings.');
  }
  const time = entry.Time === undefined ? now : toDate(entry.Time);
  if (!time) return invalid('Time', 'Time is not a valid timestamp.');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType as string,
    source: entry.Source as string,
    account: bus.account,
    // EventBridge writes whole seconds: "2017-12-22T18:43:48Z".
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: bus.region,
    resources: resources as string[],
    detail,
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The SDK sends Time as epoch seconds; strings are accepted for hand-written requests. */
function toDate(value: unknown): Date | undefined {
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/**
 * Only one bus runs locally. An entry for another bus (or for "default" when ours is named) would reach
 * no rule in AWS either; failing it loudly here surfaces a wrong EVENT_BUS_NAME instead of lost events.
 */
function checkBus(name: unknown, bus: BusIdentity): FailedEntry | undefined {
  const requested = typeof name === 'string' && name !== '' ? name : 'default';
  const asName = requested.startsWith('arn:') ? requested.slice(requested.lastIndexOf('/') + 1) : requested;
  if (asName === bus.busName) return undefined;
  return {
    ErrorCode: 'ResourceNotFoundException',
    ErrorMessage: `Event bus ${requested} does not exist (the local EventBridge serves only "${bus.busName}").`,
  };
}
