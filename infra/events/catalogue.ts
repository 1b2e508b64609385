import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { platformEvents } from '../../shared/admin/events.js';
import { consentEvents } from '../../shared/consent/events.js';
import { crmEvents } from '../../shared/crm/events.js';
import { notificationEvents } from '../../shared/notifications/events.js';
import { partnerEvents } from '../../shared/partner/events.js';
import type { EventDefinition } from '../../shared/platform/event-schema.js';
import { profileEvents } from '../../shared/profile/events.js';

/**
 * The event catalogue's generated files (decision 0080): one JSON Schema (draft 2020-12) per detail at
 * docs/events/<context>/<DetailType>.schema.json, made from the producers' declarations in
 * shared/<context>/events.ts, and docs/events/asyncapi.json, the AsyncAPI 3.0 description of the bus.
 * `npm run events:generate` writes them; test/unit/events/generated-catalogue.test.ts fails when the
 * checked-in files differ.
 */
export const EVENTS_DIR = join('docs', 'events');

/** Every declared event, in catalogue order (platform, consent, partner, profile). */
export const eventDefinitions: readonly EventDefinition[] = [platformEvents, consentEvents, partnerEvents, profileEvents, crmEvents, notificationEvents].flatMap(
  (declared) => Object.values(declared) as EventDefinition[],
);

const contextOf = (definition: EventDefinition) => definition.source.replace(/^mydata\./, '');

/** `mydata.consent` + `ConsentGranted` → consent/ConsentGranted.schema.json (relative to docs/events). */
export const schemaFileOf = (definition: Pick<EventDefinition, 'source' | 'detailType'>) =>
  `${definition.source.replace(/^mydata\./, '')}/${definition.detailType}.schema.json`;

const schemaId = (definition: EventDefinition) => `https://mydata.example/events/${definition.source}/${definition.detailType}`;

/** The JSON Schema of the detail as consumers receive it (the producer's detail and the reserved `outbox` member). */
export function detailJsonSchema(definition: EventDefinition): Record<string, unknown> {
  const { $schema, ...generated } = z.toJSONSchema(definition.busDetail, { target: 'draft-2020-12', unrepresentable: 'throw' }) as Record<
    string,
    unknown
  >;
  return { $schema, $id: schemaId(definition), title: definition.detailType, description: definition.description, ...generated };
}

const DELIVERY = [
  'Every event is committed together with the domain write it announces (a transactional outbox row) and reaches the `mydata`',
  'EventBridge bus **at least once**: in AWS through the table stream and an EventBridge Pipe, locally through the stream relay;',
  'a row not confirmed on the bus within 2 minutes is re-published by the outbox sweeper (backoff 2 min × 2^n, at most an hour, for',
  'up to 7 days). Duplicates are possible: deduplicate by `detail.eventId` (the outbox row\'s id, the same on every re-publication;',
  'the envelope `id` is not). Order is not guaranteed. A consumer rule gets retries and a dead-letter queue; the bus keeps an',
  'archive of 90 days for replays (docs/delivery.md, decisions 0002 and 0030).',
  '',
  'Every `detail` carries `eventId` (UUID), `occurredAt` (ISO 8601), `tenant` and the reserved member `outbox: {source, detailType}`',
  'repeating the envelope\'s `source` and `detail-type` (the pipe routes by it, decision 0002). Details never carry key material or',
  'decrypted user data. Subscribe with an EventBridge rule on the bus: each channel names its pattern (`x-eventbridge-pattern`).',
].join('\n');

function envelopeSchema(definition: EventDefinition) {
  return {
    type: 'object',
    description: 'The EventBridge envelope as a rule target receives it.',
    required: ['version', 'id', 'source', 'detail-type', 'account', 'time', 'region', 'resources', 'detail'],
    properties: {
      version: { type: 'string', const: '0' },
      id: { type: 'string', description: 'EventBridge\'s id of this delivery; changes on a re-publication. Deduplicate by `detail.eventId`.' },
      source: { type: 'string', const: definition.source },
      'detail-type': { type: 'string', const: definition.detailType },
      account: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      region: { type: 'string' },
      resources: { type: 'array', items: { type: 'string' } },
      detail: { $ref: `./${schemaFileOf(definition)}` },
    },
  };
}

/** The AsyncAPI 3.0 document of the bus: one channel per source and detail-type, its message and the `send` operation. */
export function asyncApiDocument(definitions: readonly EventDefinition[] = eventDefinitions): Record<string, unknown> {
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const definition of definitions) {
    const name = definition.detailType;
    if (name in messages) throw new Error(`detail-type ${name} is declared twice`);
    channels[name] = {
      address: `${definition.source}/${name}`,
      title: `${definition.source} ${name}`,
      description: `Events with \`source\` ${definition.source} and \`detail-type\` ${name} on the \`mydata\` bus.`,
      servers: [{ $ref: '#/servers/bus' }],
      messages: { [name]: { $ref: `#/components/messages/${name}` } },
      'x-eventbridge-pattern': { source: [definition.source], 'detail-type': [name] },
    };
    operations[`send${name}`] = {
      action: 'send',
      title: `${name} is published`,
      channel: { $ref: `#/channels/${name}` },
      messages: [{ $ref: `#/channels/${name}/messages/${name}` }],
    };
    messages[name] = {
      name,
      title: name,
      summary: definition.description.split(/(?<=[.:;])\s/)[0],
      description: definition.description,
      contentType: 'application/json',
      correlationId: { $ref: '#/components/correlationIds/eventId' },
      tags: [{ name: contextOf(definition) }],
      payload: { schemaFormat: 'application/schema+json;version=draft-2020-12', schema: envelopeSchema(definition) },
    };
  }
  return {
    asyncapi: '3.0.0',
    id: 'urn:mydata:events',
    info: {
      title: 'mydata events',
      version,
      description: DELIVERY,
      tags: [...new Set(definitions.map(contextOf))].map((name) => ({ name, description: `Events of the ${name} context.` })),
    },
    defaultContentType: 'application/json',
    servers: {
      bus: {
        host: 'events.{region}.amazonaws.com',
        protocol: 'https',
        title: 'The mydata EventBridge bus',
        description:
          'The custom bus named by the stack output `EventBusName`. Locally (`npm start`) the same events arrive on the local bus at `eventsUrl` of `.local/endpoints.json`.',
        variables: { region: { default: 'eu-central-1', description: 'The region the stack is deployed to.' } },
      },
    },
    channels,
    operations,
    components: {
      messages,
      correlationIds: {
        eventId: {
          description: 'The outbox row\'s id: the same on every re-publication of the event; consumers deduplicate by it.',
          location: '$message.payload#/detail/eventId',
        },
      },
    },
  };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every generated file, path relative to the repository root → content. */
export function generatedEventFiles(definitions: readonly EventDefinition[] = eventDefinitions): Map<string, string> {
  const files = new Map<string, string>();
  for (const definition of definitions) files.set(join(EVENTS_DIR, schemaFileOf(definition)), json(detailJsonSchema(definition)));
  files.set(join(EVENTS_DIR, 'asyncapi.json'), json(asyncApiDocument(definitions)));
  return files;
}
