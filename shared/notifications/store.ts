import * as z from 'zod/mini';
import { entity, stored } from '../platform/table/index.js';
import { deliveryKey, ENTITY, secretKey, subscriptionKey } from './keys.js';

/** The rows of the notification context, declared once (decision 0060) and parsed where they are read. */

export const Subscription = entity({
  type: ENTITY.subscription,
  table: 'main',
  key: subscriptionKey,
  row: z.looseObject({
    tenant: z.string(),
    partnerId: z.string(),
    subscriptionId: z.string(),
    url: z.string(),
    entityTypes: z.array(z.string()),
    notices: stored(z.array(z.string())),
    paused: z.boolean(),
    version: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
});
export type StoredSubscription = z.infer<typeof Subscription.row>;

/** A signing secret: the key table only (no stream, no item images on the bus; decision 0402). */
export const SigningSecret = entity({
  type: ENTITY.secret,
  table: 'keys',
  key: secretKey,
  row: z.looseObject({
    subscriptionId: z.string(),
    secretId: z.string(),
    secret: z.string(),
    createdAt: z.string(),
    /** Set when a newer secret replaced it: it signs beside the new one until then. */
    validUntil: stored(z.string()),
  }),
});
export type StoredSecret = z.infer<typeof SigningSecret.row>;

/** One notice for one subscription (thin: the notice's ids and types, never personal data). */
export const Delivery = entity({
  type: ENTITY.delivery,
  table: 'main',
  key: deliveryKey,
  row: z.looseObject({
    tenant: z.string(),
    partnerId: z.string(),
    subscriptionId: z.string(),
    deliveryId: z.string(),
    /** The JSON body delivered, exactly as signed (every attempt sends the same bytes). */
    body: z.string(),
    notice: z.string(),
    /** `delivered`: a marker only (no body, in no index) until its TTL, so a redelivered notice records nothing. */
    status: z.enum(['pending', 'dead', 'delivered']),
    attempts: z.number(),
    nextAttemptAt: stored(z.string()),
    lastOutcome: stored(z.string()),
    createdAt: z.string(),
    deadAt: stored(z.string()),
    GSI1SK: stored(z.string()),
  }),
});
export type StoredDelivery = z.infer<typeof Delivery.row>;
