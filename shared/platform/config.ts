import * as z from 'zod/mini';

/**
 * Everything a handler needs from its environment, read and checked once at module init.
 * Endpoints are not here: the AWS SDK reads AWS_ENDPOINT_URL_<SERVICE> itself, which is how the
 * local runtime points the same handlers at DynamoDB Local and the local KMS and EventBridge.
 */
const ConfigSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(3)),
  KEY_TABLE_NAME: z.string().check(z.minLength(3)),
  EVENT_BUS_NAME: z.string().check(z.minLength(1)),
  KMS_KEY_ID: z.string().check(z.minLength(1)),
  PUBLIC_BASE_URL: z._default(z.string(), ''),
  // Notifications (docs/notifications.md): only the local runtime sets these; AWS keeps the defaults.
  NOTIFICATION_ALLOW_LOOPBACK: z._default(z.enum(['true', 'false']), 'false'),
  NOTIFICATION_RETRY_SECONDS: z._default(z.string().check(z.regex(/^\d{1,6}(,\d{1,6}){0,15}$/)), ''),
});

export interface PlatformConfig {
  readonly tableName: string;
  readonly keyTableName: string;
  readonly eventBusName: string;
  readonly kmsKeyId: string;
  /** Base of absolute links in responses (`link`, `importApiUrl`); empty means "from the request". */
  readonly publicBaseUrl: string;
  /** Webhook endpoints on loopback over http are accepted (the local runtime only; refused in Lambda). */
  readonly notificationAllowLoopback: boolean;
  /** The pause before each retry of a failed delivery, in seconds; empty: the production schedule (decision 0401). */
  readonly notificationRetrySeconds: readonly number[];
}

let cached: PlatformConfig | undefined;

export function config(): PlatformConfig {
  if (cached) return cached;
  const parsed = ConfigSchema.safeParse(process.env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`Invalid configuration: ${fields}`);
  }
  const env = parsed.data;
  const read: PlatformConfig = {
    tableName: env.TABLE_NAME,
    keyTableName: env.KEY_TABLE_NAME,
    eventBusName: env.EVENT_BUS_NAME,
    kmsKeyId: env.KMS_KEY_ID,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    notificationAllowLoopback: env.NOTIFICATION_ALLOW_LOOPBACK === 'true',
    notificationRetrySeconds: env.NOTIFICATION_RETRY_SECONDS === '' ? [] : env.NOTIFICATION_RETRY_SECONDS.split(',').map(Number),
  };
  if (read.notificationAllowLoopback && process.env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new Error('Invalid configuration: NOTIFICATION_ALLOW_LOOPBACK is for the local runtime, never in Lambda');
  }
  cached = read;
  return cached;
}
