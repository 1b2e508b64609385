import { anyBusDetail } from '../../shared/platform/event-schema.js';
import { eventHandler } from '../../shared/platform/events.js';
import { confirmOutboxEvent } from '../../shared/platform/outbox-delivery.js';

/**
 * Consumer of every outbox event (rule `ConfirmOutboxEvent`): the event reached the bus, so its outbox
 * row leaves the sweeper's due index. Keyed by `detail.eventId` (the outbox row), never by the envelope
 * id, which changes on a re-publish. Rows that wait for their consumer are left to it. It reads only the
 * members every detail has (`anyBusDetail`); each event's own members are its consumers' business.
 */
export const handler = eventHandler(anyBusDetail, async (event) => {
  await confirmOutboxEvent(event.detail.eventId, 'bus');
});
