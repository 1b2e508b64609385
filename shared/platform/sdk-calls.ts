/**
 * Counts AWS SDK calls per service and operation, so the benchmark can report how many DynamoDB
 * and KMS calls one request makes. The counter lives on globalThis so every bundle copy shares it.
 */
type Counter = Map<string, number>;
const key = Symbol.for('mydata.sdkCalls');
const store = globalThis as unknown as Record<symbol, Counter | undefined>;

export function sdkCallCounter(): Counter {
  store[key] ??= new Map();
  return store[key]!;
}

export function recordSdkCall(service: string, operation: string): void {
  const counter = sdkCallCounter();
  const name = `${service}.${operation}`;
  counter.set(name, (counter.get(name) ?? 0) + 1);
}

/** Snapshot and reset: `{ 'DynamoDB.GetItem': 1, 'KMS.Decrypt': 0 }`. */
export function takeSdkCalls(): Record<string, number> {
  const counter = sdkCallCounter();
  const snapshot = Object.fromEntries(counter);
  counter.clear();
  return snapshot;
}
