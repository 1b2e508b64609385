import * as z from 'zod/mini';
import { type DetailOf, definedEvent, eventDetail, type GeneratedMember, type Without } from '../platform/event-schema.js';
import { lazily, once } from '../platform/lazy-events.js';

/**
 * The platform's own events (source `mydata.platform`), declared once (decision 0080; JSON Schemas in
 * docs/events/platform/ are generated from them). Produced by the tenant onboarding (`shared/admin/tenants.ts`).
 */
export const PLATFORM_SOURCE = 'mydata.platform' as const;

/** Built with the declaration's first use (decision 0125). */
const partnerId = once(() => z.string().check(z.regex(/^[A-Z]{3}[0-9]{2}$/)));

/** Built at its first use (decision 0125): only the onboarding announces it, only its consumer reads it. */
export const platformEvents = lazily({
  TenantOnboarded: () => eventDetail(PLATFORM_SOURCE, 'TenantOnboarded', 'A tenant was created with its TENANT consent reference, the root organisation of its partner tree and a first administrator.', {
    rootPartnerId: partnerId(),
    administratorPartnerId: partnerId(),
  }),
});

export type PlatformEventType = keyof typeof platformEvents;
export type PlatformEventDetail<T extends PlatformEventType> = DetailOf<(typeof platformEvents)[T]>;

/** The outbox event (checked against its declaration) of a platform event. */
export function platformEvent<T extends PlatformEventType>(type: T, detail: Without<PlatformEventDetail<T>, GeneratedMember>, now?: Date) {
  return definedEvent(platformEvents[type], detail, now);
}
