import { spawnPlatform, stopPlatform } from '../../support/platform-process.js';

/**
 * A platform of its own for the fault tests (they stop the relay, fail consumers, hang receivers), never the
 * one other test files share: `npm start --in-memory` in a child process with the suite's issuer key (so the
 * suite's token and API helpers work against it) and the given settings (short clocks). Points the suite's
 * helpers at it until `stop()`.
 */
const SUITE_ENV = ['MYDATA_API_URL', 'MYDATA_EVENTS_URL', 'MYDATA_DYNAMODB_URL', 'MYDATA_KMS_URL', 'MYDATA_CONTROL_URL'] as const;

export interface FaultPlatform {
  readonly endpoints: Record<string, string>;
  control(action: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startFaultPlatform(settings: Record<string, string> = {}): Promise<FaultPlatform> {
  const saved = Object.fromEntries(SUITE_ENV.map((name) => [name, process.env[name]]));
  Object.assign(process.env, settings);
  let started: Awaited<ReturnType<typeof spawnPlatform>>;
  try {
    started = await spawnPlatform(['--no-seed', '--issuer-key', process.env.MYDATA_ISSUER_KEY_FILE!], 'ignore');
  } finally {
    for (const name of Object.keys(settings)) delete process.env[name];
  }
  const { child, endpoints } = started;
  Object.assign(process.env, {
    MYDATA_API_URL: endpoints.apiUrl,
    MYDATA_EVENTS_URL: endpoints.eventsUrl,
    MYDATA_DYNAMODB_URL: endpoints.dynamoUrl,
    MYDATA_KMS_URL: endpoints.kmsUrl,
    MYDATA_CONTROL_URL: endpoints.controlUrl,
  });
  return {
    endpoints,
    async control(action, body) {
      const response = await fetch(`${endpoints.controlUrl}/${action}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
      const json: unknown = await response.json();
      if (!response.ok) throw new Error(`control ${action}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    },
    async stop() {
      await stopPlatform(child);
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}
