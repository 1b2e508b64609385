import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { BusEnvelope } from './api.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** `mydata.consent` + `ConsentGranted` → docs/events/consent/ConsentGranted.schema.json */
export function schemaPathOf(source: string, detailType: string): string {
  return join('docs', 'events', source.replace(/^mydata\./, ''), `${detailType}.schema.json`);
}

/** Validates an observed event's detail against its catalogue entry; throws with the errors if it drifts. */
export function expectInCatalogue(event: BusEnvelope): void {
  const path = schemaPathOf(event.source, event['detail-type']);
  if (!existsSync(path)) throw new Error(`event ${event.source}/${event['detail-type']} has no schema at ${path}`);
  let validate = validators.get(path);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(path, 'utf8')));
    validators.set(path, validate);
  }
  // The routing member the pipe needs (docs/events/README.md) is the platform's, not the event's schema.
  const { outbox, ...domainDetail } = event.detail as Record<string, unknown>;
  if (JSON.stringify(outbox) !== JSON.stringify({ source: event.source, detailType: event['detail-type'] })) {
    throw new Error(`${event['detail-type']}: detail.outbox does not name the event's source and detail-type`);
  }
  if (!validate(domainDetail)) {
    throw new Error(`${path}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(domainDetail)}`);
  }
}
