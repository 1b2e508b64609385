/**
 * The two init baselines: an empty handler, and a handler holding only the SDK clients a function uses,
 * instantiated at module scope with the options of shared/platform/clients.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const EMPTY_HANDLER = 'export const handler = async () => ({ statusCode: 200 });\n';

/** Writes the entry of a baseline and returns its path; `clients` empty gives the empty handler. */
export async function baselineEntry(clients: readonly string[], dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, clients.length === 0 ? EMPTY_HANDLER : await sdkOnlySource(clients));
  return entry;
}

export const baselineKey = (clients: readonly string[]) =>
  clients.length === 0 ? 'empty' : clients.map((name) => name.replace('@aws-sdk/', '')).join('+');

async function sdkOnlySource(clients: readonly string[]): Promise<string> {
  const lines = [
    "import { NodeHttpHandler } from '@smithy/node-http-handler';",
    'const options = () => ({ maxAttempts: 3, requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 2000 }) });',
  ];
  const names: string[] = [];
  const withDocumentClient = clients.includes('@aws-sdk/lib-dynamodb');
  const services = clients.filter((name) => name !== '@aws-sdk/lib-dynamodb');
  if (withDocumentClient && !services.includes('@aws-sdk/client-dynamodb')) services.push('@aws-sdk/client-dynamodb');
  for (const [index, pkg] of services.entries()) {
    const name = `c${index}`;
    lines.push(`import { ${await clientClassOf(pkg)} as C${index} } from '${pkg}';`);
    if (pkg === '@aws-sdk/client-dynamodb' && withDocumentClient) {
      lines.push("import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';");
      lines.push(`const ${name} = DynamoDBDocumentClient.from(new C${index}(options()), { marshallOptions: { removeUndefinedValues: true } });`);
    } else {
      lines.push(`const ${name} = new C${index}(options());`);
    }
    names.push(name);
  }
  lines.push(`export const handler = async () => ({ statusCode: 200, body: String([${names.join(', ')}].length) });`);
  return `${lines.join('\n')}\n`;
}

/** The package's client class (`KMSClient`, `DynamoDBClient`, …): the exported `<Service>Client` with a `send` (not smithy's `__Client`). */
async function clientClassOf(pkg: string): Promise<string> {
  const module = (await import(pkg)) as Record<string, unknown>;
  const found = Object.entries(module).filter(
    ([name, value]) => /^[A-Z]\w*Client$/.test(name) && typeof value === 'function' && typeof (value as { prototype?: { send?: unknown } }).prototype?.send === 'function',
  );
  if (found.length === 0) throw new Error(`${pkg} exports no SDK client class`);
  if (found.length > 1) throw new Error(`${pkg} exports several client classes: ${found.map(([name]) => name).join(', ')}`);
  return found[0][0];
}
