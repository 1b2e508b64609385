import * as z from 'zod/mini';
import { crmEvents } from '../crm/events.js';
import { described, eventDetail } from '../platform/event-schema.js';
import { lazily } from '../platform/lazy-events.js';

/**
 * The notification dispatcher's own event (decision 0401): a partner's subscriptions are read a page at a
 * time, and the rest of the fan-out of one `PartnerNotice` is handed on through the outbox (decision 0208),
 * so no invocation grows with the number of subscriptions. Thin like the notice it carries.
 */
// Source `mydata.profile`: the notification service is part of the profile context's CRM side, like the audience.
export const NOTIFICATIONS_SOURCE = 'mydata.profile' as const;

/** Built at its first use (decision 0125), and with it the PartnerNotice declaration it carries. */
export const notificationEvents = lazily({
  NotificationFanOutContinued: () => eventDetail(
    NOTIFICATIONS_SOURCE,
    'NotificationFanOutContinued',
    "The rest of one PartnerNotice's fan-out over the recipient's subscriptions, from `cursor` on. Consumed by the dispatcher itself.",
    {
      notice: described(crmEvents.PartnerNotice.detail, 'The PartnerNotice being fanned out, as received (ids, types, versions only).'),
      cursor: described(z.string().check(z.minLength(1), z.maxLength(2048)), 'Where the subscription listing continues.'),
    },
  ),
});
