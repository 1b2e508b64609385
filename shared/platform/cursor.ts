import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { DomainError } from './errors.js';

/**
 * Opaque page cursors (`next`): base64url of a small JSON object naming the purpose, what the cursor is
 * bound to, and the position. A cursor only ever selects a position inside data the caller may already
 * read (the query it continues is rebuilt from the caller, never from the cursor), so it needs no secret;
 * the binding makes a cursor of another guest, reference or listing a clear 400 instead of a silent
 * jump, and every field is validated: a garbage or tampered cursor is `400 InvalidCursor`, never a 500.
 */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,2048}$/;

/** Query-parameter schema for a cursor (the format only; `readCursor` checks the content). */
export const cursorParam = z.string().check(z.regex(CURSOR_PATTERN, 'not a page cursor'));

export const invalidCursor = (why: string) =>
  new DomainError('Invalid', `The page cursor is not valid here (${why}); start again without it`, 'InvalidCursor');

/** A short hash of what the cursor belongs to (tenant, owner, …): never the values themselves. */
export function cursorBinding(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);
}

export function writeCursor(purpose: string, binding: string, position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ v: 1, p: purpose, b: binding, ...position }), 'utf8').toString('base64url');
}

/** The position of a cursor written by `writeCursor` for the same purpose and binding, or 400. */
export function readCursor<S extends z.ZodMiniType>(cursor: string, purpose: string, binding: string, position: S): z.infer<S> {
  if (!CURSOR_PATTERN.test(cursor)) throw invalidCursor('format');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('format');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw invalidCursor('format');
  const { v, p, b, ...rest } = decoded as Record<string, unknown>;
  if (v !== 1 || p !== purpose) throw invalidCursor('not a cursor of this listing');
  if (b !== binding) throw invalidCursor('issued to another caller or resource');
  const parsed = position.safeParse(rest);
  if (!parsed.success) throw invalidCursor('position');
  return parsed.data as z.infer<S>;
}
