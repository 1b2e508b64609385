import * as z from 'zod/mini';
import type { IndexDesign } from '../table-design.js';
import type { ItemKey, Row, TableRole } from './client.js';

/**
 * An entity of the single table, declared once: its `entityType`, the table it lives in, the function
 * that builds its key, the schema of its stored row and the indexes it is written to. Stores parse every
 * row they read through `parse`, so the domain sees typed records and a row that does not match its
 * declaration fails loudly at the boundary (decision 0060). Row schemas are loose objects: keys, index
 * attributes and fields of newer writers pass through untouched.
 */
export interface EntityDeclaration<Args extends unknown[], Schema extends z.ZodMiniType> {
  readonly type: string;
  readonly table: TableRole;
  readonly key: (...args: Args) => ItemKey;
  readonly row: Schema;
  readonly indexes?: readonly IndexDesign[];
}

export interface Entity<Args extends unknown[], Schema extends z.ZodMiniType> extends EntityDeclaration<Args, Schema> {
  /** The typed record of a stored row; throws `RowMismatch` when the row is not one of this entity. */
  parse(row: Row): z.infer<Schema>;
  /** `parse` for a row that may be absent. */
  parseOptional(row: Row | undefined): z.infer<Schema> | undefined;
}

export class RowMismatch extends Error {
  constructor(type: string, fields: string) {
    super(`A stored ${type} row does not match its declaration (${fields})`);
    this.name = 'RowMismatch';
  }
}

export function entity<Args extends unknown[], Schema extends z.ZodMiniType>(declaration: EntityDeclaration<Args, Schema>): Entity<Args, Schema> {
  const parse = (row: Row): z.infer<Schema> => {
    const parsed = z.safeParse(declaration.row, row);
    if (!parsed.success) throw new RowMismatch(declaration.type, parsed.error.issues.map((issue) => issue.path.join('.') || '(row)').join(', '));
    return parsed.data;
  };
  return { ...declaration, parse, parseOptional: (row) => (row === undefined ? undefined : parse(row)) };
}

/** Optional stored attribute that older writers may have stored as `null`. */
export const stored = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));
