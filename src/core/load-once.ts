/** A load run at most once at a time: callers share it, its result is kept, a failure is forgotten so the next call loads again. */
export interface LoadOnce<T> {
  (): Promise<T>;
  /** The result, once a load has succeeded. */
  readonly value: T | undefined;
  /** The load under way, if one is. */
  readonly pending: Promise<T> | undefined;
}

/** Wraps `load` (a dynamic import, a module's first build) so that concurrent first callers wait on one load. */
export function loadOnce<T>(load: () => Promise<T>): LoadOnce<T> {
  let value: T | undefined;
  let pending: Promise<T> | undefined;
  const run = () => {
    if (value !== undefined) return Promise.resolve(value);
    pending ??= load().then(
      (loaded) => {
        value = loaded;
        pending = undefined;
        return loaded;
      },
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    );
    return pending;
  };
  return Object.defineProperties(run, {
    value: { get: () => value },
    pending: { get: () => pending },
  }) as LoadOnce<T>;
}
