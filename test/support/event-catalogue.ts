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

/**
 * Validates an observed event's detail against its catalogue entry, the JSON Schema generated from the
 * producer's declaration (`npm run events:generate`); throws with the errors if it drifts. The schema
 * covers the whole detail as published, including the reserved `outbox` member, whose `source` and
 * `detailType` must repeat the envelope's.
 */
export function expectInCatalogue(event: BusEnvelope): void {
  const path = schemaPathOf(event.source, event['detail-type']);
  if (!existsSync(path)) throw new Error(`event ${event.source}/${event['detail-type']} has no schema at ${path}`);
  let validate = validators.get(path);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(path, 'utf8')));
    validators.set(path, validate);
  }
  if (!validate(event.detail)) {
    throw new Error(`${path}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(event.detail)}`);
  }
}
