import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { runningEventsUrl } from './running-platform.js';

/**
 * `npm run events`: the local bus as an event consumer sees it (docs/notifications.md, "Local development").
 * Prints the recent events of the running platform (`npm start`), then with --follow every new one as it is
 * accepted, one JSON line each (--pretty: indented). Filters: --type DETAIL_TYPE (repeatable or comma
 * separated), --source SOURCE, --tenant TENANT. --events-url URL, or the eventsUrl of --endpoints-file
 * (.local/endpoints.json, written by `npm start`). --no-recent skips the recent events.
 *   npm run events -- --type PartnerNotice --follow
 */
const { values } = parseArgs({
  options: {
    type: { type: 'string', multiple: true },
    source: { type: 'string', multiple: true },
    tenant: { type: 'string' },
    follow: { type: 'boolean', short: 'f', default: false },
    'no-recent': { type: 'boolean', default: false },
    pretty: { type: 'boolean', default: false },
    'events-url': { type: 'string' },
    'endpoints-file': { type: 'string', default: '.local/endpoints.json' },
  },
  strict: true,
});

interface Envelope {
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail?: { tenant?: unknown };
}

const split = (list: readonly string[] | undefined) => (list ?? []).flatMap((item) => item.split(',')).filter(Boolean);
const types = split(values.type);
const sources = split(values.source);

const eventsUrl = () => runningEventsUrl({ eventsUrl: values['events-url'], endpointsFile: values['endpoints-file']! });

const wanted = (event: Envelope) =>
  (types.length === 0 || types.includes(event['detail-type'])) &&
  (sources.length === 0 || sources.includes(event.source)) &&
  (values.tenant === undefined || event.detail?.tenant === values.tenant);

const print = (event: unknown) => process.stdout.write(`${values.pretty ? JSON.stringify(event, null, 2) : JSON.stringify(event)}\n`);

try {
  const base = eventsUrl();
  if (!values['no-recent']) {
    const recent = await fetch(`${base}/_local/events`);
    if (!recent.ok) throw new Error(`the local bus answered ${recent.status}`);
    for (const event of (await recent.json()) as Envelope[]) if (wanted(event)) print(event);
  }
  if (values.follow) {
    const query = new URLSearchParams();
    for (const type of types) query.append('detail-type', type);
    for (const source of sources) query.append('source', source);
    if (values.tenant) query.set('tenant', values.tenant);
    const stream = await fetch(`${base}/_local/events/stream?${query}`);
    if (!stream.ok || !stream.body) throw new Error(`the local bus answered ${stream.status}`);
    const lines = createInterface({ input: Readable.fromWeb(stream.body as import('node:stream/web').ReadableStream) });
    for await (const line of lines) if (line.trim()) print(JSON.parse(line));
    process.stderr.write('the local bus closed the tap (platform stopped)\n');
  }
} catch (error) {
  process.stderr.write(`events: ${(error as Error).message}\n`);
  process.exit(1);
}
