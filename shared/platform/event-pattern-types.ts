/** An EventBridge event pattern: nested objects whose leaves are arrays of values or matchers. */
export type PatternValue = string | number | boolean | null | Record<string, unknown>;
export interface EventPattern {
  readonly [field: string]: readonly PatternValue[] | EventPattern;
}
