import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { declareRoutes } from '../../shared/platform/route-policy.js';
import { routePoliciesOf } from '../aws/function-plan.js';
import { catalog } from '../catalog/index.js';
import { type LocalFunction, runAsFunction } from './access.js';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

const loaded = new Map<string, Promise<LambdaHandler>>();

/**
 * Loads a function's entry module once, as a warm Lambda would keep it, and hands the route policy the
 * function's routes, as the entry the bundler generates does in AWS (decision 0123). All functions share
 * this process, so the policy here knows the routes of every function loaded so far; the gateway only
 * ever invokes a function with a route key of its own.
 */
function loadHandler(entry: string): Promise<LambdaHandler> {
  let handler = loaded.get(entry);
  if (!handler) {
    declareRoutes(routePoliciesOf(catalog, entry));
    handler = import(pathToFileURL(resolve(entry)).href).then((module: { handler?: LambdaHandler }) => {
      if (typeof module.handler !== 'function') throw new Error(`${entry} exports no handler`);
      return module.handler;
    });
    loaded.set(entry, handler);
  }
  return handler;
}

export class InvocationTimeout extends Error {}

/**
 * Invokes a function with a Lambda-like context and the function timeout the stack sets. Loading and
 * running happen as `fn`: its SDK calls are held to its access list where the platform enforces them
 * (infra/local/access.ts).
 */
export function invokeFunction(fn: LocalFunction, event: unknown, timeoutMs = 10_000): Promise<unknown> {
  return runAsFunction(fn, () => invokeEntry(fn.handler, event, timeoutMs));
}

async function invokeEntry(entry: string, event: unknown, timeoutMs: number): Promise<unknown> {
  const handler = await loadHandler(entry);
  const deadline = Date.now() + timeoutMs;
  const name = entry.replace(/^functions\//, '').replace(/\.ts$/, '').replace(/[^\w]+/g, '-');
  const context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `mydata-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:000000000000:function:mydata-${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/mydata-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } as Context;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InvocationTimeout(`${entry} timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([handler(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
