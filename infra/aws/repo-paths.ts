import { fileURLToPath } from 'node:url';

/** The repository root, so handler entries from the catalog (relative paths) resolve wherever `cdk` runs. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function fromRepoRoot(relativePath: string): string {
  return fileURLToPath(new URL(relativePath, new URL('../../', import.meta.url)));
}
