import type { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

/**
 * The X-Ray SDK (Powertools Tracer, aws-xray-sdk-core) is a deployment choice (decision 0120). Bundles
 * get `process.env.MYDATA_TRACING` as a build-time constant (esbuild `define`, infra/aws/bundling.ts):
 * with `off` the condition below is `"off" === "on"`, esbuild drops the import as dead code, and neither
 * the Tracer nor the X-Ray SDK is in the bundle. Lambda's active tracing still records every invocation.
 * Unbundled (tsx, jest, the local platform) the variable is read at run time: off unless MYDATA_TRACING=on.
 *
 * Keep the comparison inline: esbuild folds it only where the constant is written out.
 */
const xray = process.env.MYDATA_TRACING === 'on' ? await import('./tracing-xray.js') : undefined;

type TracingMiddleware = ReturnType<typeof captureLambdaHandler>;

/** The middy middlewares that trace a handler: none with tracing off, Powertools' handler segment with it on. */
export function tracingMiddlewares(): TracingMiddleware[] {
  return xray ? [xray.captureHandler()] : [];
}
