// Without `.js`: jest loads global setup and teardown outside its module mapper, where `.js` finds no `.ts` file.
import { stopPlatform } from './platform-process';

/**
 * Stops the platform started by global-setup.ts and waits until it (and its Java child) is gone. Fails
 * the run when a function of that platform made a call its catalog access list does not grant (decision
 * 0050): the call was refused as IAM would refuse it in AWS, even where the function swallowed the error.
 */
export default async function globalTeardown(): Promise<void> {
  const child = globalThis.__MYDATA_PLATFORM__;
  if (!child || child.exitCode !== null) return;
  const denials = await refusedCalls();
  await stopPlatform(child);
  if (denials.length > 0) {
    const lines = denials.map((d) => `  ${d.function} (${d.handler}): ${d.action} on ${d.resource}`);
    throw new Error(`${denials.length} call(s) refused by the catalog access lists; widen the list in infra/catalog or drop the call:\n${lines.join('\n')}`);
  }
}

interface Denial {
  function: string;
  handler: string;
  action: string;
  resource: string;
}

async function refusedCalls(): Promise<Denial[]> {
  try {
    const response = await fetch(`${process.env.MYDATA_CONTROL_URL}/access/denials`, { method: 'POST' });
    return ((await response.json()) as { denials: Denial[] }).denials;
  } catch {
    return [];
  }
}
