import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EVENTS_DIR, generatedEventFiles } from './catalogue.js';

/**
 * `npm run events:generate`: writes docs/events/<context>/<DetailType>.schema.json and docs/events/asyncapi.json
 * from the declarations in shared/<context>/events.ts, and removes schema files of events no longer declared.
 */
const files = generatedEventFiles();
for (const [path, content] of files) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
for (const entry of readdirSync(EVENTS_DIR, { withFileTypes: true, recursive: true })) {
  const path = join(entry.parentPath, entry.name);
  if (entry.isFile() && entry.name.endsWith('.schema.json') && !files.has(path)) rmSync(path);
}
console.log(`${files.size} files in ${EVENTS_DIR}`);
