import { createHash } from 'node:crypto';
import { type DetailOf, definedEvent, type EventDefinition, type GeneratedMember, type Without } from './event-schema.js';
import { outboxPut } from './outbox.js';
import { ConditionFailed, transact } from './table/index.js';

/**
 * Continuation events of paged fan-outs (decision 0208): an invocation does one bounded page of work and
 * hands the rest on as an event through the outbox. Its event id is derived from what identifies the
 * page (chain and cursor), and an outbox put never overwrites a row, so a page that runs twice (a
 * redelivery, a crash after the hand-over) hands on once: no second chain. The row waits for its
 * consumer's confirmation (`confirmBy: consumer`), so a consumer that crashed is re-published by the
 * sweeper and its page runs again from the same cursor (decision 0030).
 */

/** A name-based uuid (version 8 layout) from the parts: the same parts, the same id. */
export function continuationId(...parts: readonly (string | number)[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(hex[16], 16) & 3) | 8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The outbox put of a continuation under its derived id, to be confirmed by its consumer. */
export function continuationPut<D extends EventDefinition>(definition: D, detail: Without<DetailOf<D>, GeneratedMember>, idParts: readonly (string | number)[]) {
  const event = definedEvent(definition, detail);
  const eventId = continuationId(definition.detailType, ...idParts);
  return outboxPut({ ...event, detail: { ...event.detail, eventId } }, { confirmBy: 'consumer' });
}

/** Puts the continuation on its own; one already put (the same page ran before) is left as it is. Answers its event id. */
export async function handOn<D extends EventDefinition>(definition: D, detail: Without<DetailOf<D>, GeneratedMember>, idParts: readonly (string | number)[]): Promise<string> {
  const put = continuationPut(definition, detail, idParts);
  try {
    await transact([put]);
  } catch (error) {
    if (!(error instanceof ConditionFailed && error.failedAt(0))) throw error;
  }
  return JSON.parse(put.Put.Item.detail).eventId as string;
}
