import { parseArgs } from 'node:util';
import { runningEventsUrl } from './running-platform.js';

/**
 * `npm run replay`: re-delivers the running local platform's dead letters to their consumers (the local
 * counterpart of an SQS DLQ redrive / EventBridge archive replay, docs/delivery.md).
 * Flags: --rule ID (only that rule's letters), --event-id ID (repeatable; the events' `detail.eventId`),
 * --events-url URL (default: eventsUrl of --endpoints-file, .local/endpoints.json written by `npm start`),
 * --list (only print the dead letters). Prints one JSON line: {"replayed": n} (or the list).
 */
const { values } = parseArgs({
  options: {
    rule: { type: 'string' },
    'event-id': { type: 'string', multiple: true },
    'events-url': { type: 'string' },
    'endpoints-file': { type: 'string', default: '.local/endpoints.json' },
    list: { type: 'boolean', default: false },
  },
  strict: true,
});

const eventsUrl = () => runningEventsUrl({ eventsUrl: values['events-url'], endpointsFile: values['endpoints-file']! });

try {
  const base = eventsUrl();
  const response = values.list
    ? await fetch(`${base}/_local/dead-letters`)
    : await fetch(`${base}/_local/dead-letters/replay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ruleId: values.rule, eventIds: values['event-id'] }),
      });
  const text = await response.text();
  if (!response.ok) throw new Error(`the local bus answered ${response.status}: ${text}`);
  process.stdout.write(`${text}\n`);
} catch (error) {
  process.stderr.write(`replay failed: ${(error as Error).message}\n`);
  process.exit(1);
}
