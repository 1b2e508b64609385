/** Stops the platform started by global-setup.ts and waits until it (and its Java child) is gone. */
export default async function globalTeardown(): Promise<void> {
  const child = globalThis.__MYDATA_PLATFORM__;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
