import * as z from 'zod/mini';
import { domainEvent, type EventDetail, type EventSource, type OutboxEvent } from './outbox.js';

/**
 * The one definition of every event detail (decision 0080). Each producing context declares its details
 * with `eventDetail` in `shared/<context>/events.ts`; the producer parses what it builds with it before
 * the outbox row is written, consumers parse what they receive with `busDetail` (via `eventHandler`), and
 * `npm run events:generate` writes the JSON Schemas in docs/events/ and the AsyncAPI document from them.
 */

export const TENANT_NAME = /^[a-z][a-z0-9-]{2,39}$/;

/** The members every detail starts with: the outbox row's id (consumers deduplicate by it), its time and the tenant. */
export const detailBase = {
  eventId: z.uuid(),
  occurredAt: z.iso.datetime(),
  tenant: z.string().check(z.regex(TENANT_NAME)),
};

/** Members filled in by `domainEvent`, not by the code that announces the event. */
export type GeneratedMember = 'eventId' | 'occurredAt';

/** Adds a description to a member schema (shown in the generated JSON Schema). */
export const described = <S extends z.ZodMiniType>(schema: S, description: string): S => schema.check(z.describe(description)) as S;

/** An array whose items are distinct (`uniqueItems` in the JSON Schema, checked when parsed). */
export const uniqueArray = <S extends z.ZodMiniType>(item: S) =>
  z.array(item).check(
    z.refine((items) => new Set(items.map((i) => JSON.stringify(i))).size === items.length, 'items must be distinct'),
    z.meta({ uniqueItems: true }),
  );

export interface EventDefinition<S extends EventSource = EventSource, T extends string = string, D extends z.ZodMiniType = z.ZodMiniType> {
  readonly source: S;
  readonly detailType: T;
  readonly description: string;
  /** The detail as the producer writes it into the outbox row (strict: no member beyond the declared ones). */
  readonly detail: D;
  /** The detail as consumers receive it on the bus: the same plus the reserved `outbox` member. */
  readonly busDetail: z.ZodMiniType;
}

type Strict<Shape extends z.core.$ZodLooseShape> = z.ZodMiniObject<typeof detailBase & Shape, z.core.$strict>;

/**
 * The reserved routing member every published detail carries (decision 0002): the pipe's bus target
 * reads `source` and `detail-type` from it, and it always repeats the envelope's.
 */
export const routingMember = <S extends string, T extends string>(source: S, detailType: T) =>
  described(
    z.strictObject({ source: z.literal(source), detailType: z.literal(detailType) }),
    "Reserved routing member added on publication (decision 0002): repeats the envelope's `source` and `detail-type`. Not part of the outbox row.",
  );

/** An event whose detail is one object. */
export function eventDetail<S extends EventSource, T extends string, Shape extends z.core.$ZodLooseShape>(
  source: S,
  detailType: T,
  description: string,
  shape: Shape,
): EventDefinition<S, T, Strict<Shape>> {
  return {
    source,
    detailType,
    description,
    detail: z.strictObject({ ...detailBase, ...shape }),
    busDetail: z.strictObject({ ...detailBase, ...shape, outbox: routingMember(source, detailType) }),
  };
}

/** One form of a detail with variants: its title and the members only it has. */
export interface Variant<Shape extends z.core.$ZodLooseShape = z.core.$ZodLooseShape> {
  readonly title: string;
  readonly shape: Shape;
}
type VariantObjects<Shape extends z.core.$ZodLooseShape, V extends readonly Variant[]> = {
  -readonly [K in keyof V]: Strict<Shape & V[K]['shape']>;
};

/** An event whose detail takes one of several forms (the members `shape` they share, each variant's own). */
export function eventVariants<S extends EventSource, T extends string, Shape extends z.core.$ZodLooseShape, const V extends readonly Variant[]>(
  source: S,
  detailType: T,
  description: string,
  shape: Shape,
  variants: V,
): EventDefinition<S, T, z.ZodMiniUnion<VariantObjects<Shape, V>>> {
  const forms = (extra: z.core.$ZodLooseShape) =>
    variants.map((variant) => z.strictObject({ ...detailBase, ...shape, ...variant.shape, ...extra }).check(z.meta({ title: variant.title }))) as unknown as VariantObjects<Shape, V>;
  return {
    source,
    detailType,
    description,
    detail: z.union(forms({})),
    busDetail: z.union(forms({ outbox: routingMember(source, detailType) }) as unknown as [z.ZodMiniType, ...z.ZodMiniType[]]),
  };
}

export type DetailOf<D extends EventDefinition> = z.infer<D['detail']>;
/** `Omit` that keeps a union of variants a union (what a producer supplies is one of them). */
export type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** The detail as consumers receive it (`busDetail`). */
export type BusDetailOf<D extends EventDefinition> = DetailOf<D> & { outbox: { source: D['source']; detailType: D['detailType'] } };

/** Any outbox event on the bus, for platform consumers that read only the common members (e.g. the confirmation). */
export const anyBusDetail = z.looseObject({
  ...detailBase,
  outbox: z.strictObject({ source: z.string(), detailType: z.string() }),
});

/** Where a detail broke its schema, without the values (details name people). */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? ` ${issue.keys.join(', ')}` : '';
      return `${issue.path.join('.') || '(detail)'}: ${issue.code}${keys}`;
    })
    .join('; ');
}

/** A detail that does not match its declaration: a bug in the producer, or garbage on the bus. */
export class MalformedEventDetail extends Error {
  override readonly name = 'MalformedEventDetail';
}

/** Parses `detail` with `schema`; throws `MalformedEventDetail` naming the members that broke it. */
export function parseDetail<S extends z.ZodMiniType>(schema: S, detail: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(detail);
  if (!parsed.success) throw new MalformedEventDetail(`${what} detail does not match its schema: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * The outbox event announcing `detail` (ids and time added), parsed with its definition: a producer that
 * builds a detail its schema refuses fails before anything is written, never publishes it.
 * `derived` adds members computed from the new event id (the consent seed members).
 */
export function definedEvent<D extends EventDefinition>(
  definition: D,
  detail: Without<DetailOf<D>, GeneratedMember>,
  now?: Date,
  derived?: (eventId: string) => Record<string, unknown>,
): OutboxEvent {
  const event = domainEvent(definition.source, definition.detailType, detail as unknown as { tenant: string }, now);
  const built = derived ? { ...event.detail, ...derived(event.detail.eventId) } : event.detail;
  return { ...event, detail: parseDetail(definition.detail, built, `${definition.source} ${definition.detailType}`) as EventDetail };
}
