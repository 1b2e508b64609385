import { readFileSync } from 'node:fs';

/**
 * The local bus of a running `npm start`, for the command-line tools beside it (`npm run events`,
 * `npm run replay`): the `--events-url` given, else the one the platform wrote to its endpoints file.
 */
export function runningEventsUrl(options: { readonly eventsUrl?: string; readonly endpointsFile: string }): string {
  if (options.eventsUrl) return options.eventsUrl;
  try {
    return (JSON.parse(readFileSync(options.endpointsFile, 'utf8')) as { eventsUrl: string }).eventsUrl;
  } catch {
    throw new Error(`No running platform found: ${options.endpointsFile} is missing (start it with npm start, or pass --events-url)`);
  }
}
