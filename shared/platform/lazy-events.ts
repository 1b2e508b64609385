/**
 * A context's event declarations, each built at its first use (decision 0125). A zod/mini schema costs its
 * construction when its module loads: the consent context's ten declarations cost every function that
 * imports them about 18 M instructions of init (5 % of an SDK-only bundle), though a reader emits none and
 * a writer one or two. Each property is a getter that builds its definition once; the object is otherwise
 * the plain record of definitions (enumerable, typed by the builders), so consumers and the generators
 * read it as before.
 */
export function lazily<const T extends Record<string, () => unknown>>(builders: T): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const record = {} as { [K in keyof T]: ReturnType<T[K]> };
  for (const name of Object.keys(builders) as Array<keyof T & string>) {
    let built: ReturnType<T[typeof name]> | undefined;
    Object.defineProperty(record, name, {
      enumerable: true,
      get: () => {
        built ??= builders[name]() as ReturnType<T[typeof name]>;
        return built;
      },
    });
  }
  return record;
}

/** A value built at its first use, then kept (shared members of lazily built declarations). */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = build();
      done = true;
    }
    return value as T;
  };
}
