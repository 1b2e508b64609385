import { randomUUID } from 'node:crypto';

const traceHeaders = ['x-traceid', 'x-trace-id'] as const;
const safeTraceId = /^[\w.:-]{1,128}$/;

/** The caller's trace id (`X-TraceId`, `X-Traceid` or `X-Trace-Id`), or a new one. */
export function correlationIdOf(headers: Readonly<Record<string, string | undefined>>): string {
  for (const name of traceHeaders) {
    const value = headers[name];
    if (value && safeTraceId.test(value)) return value;
  }
  return randomUUID();
}
