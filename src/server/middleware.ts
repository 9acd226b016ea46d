/** A middleware: does its work, then calls `next()`, or `next(err)` to stop the chain. */
export type Middleware<T, E extends Error = Error> = (arg: T, next: (err?: E) => void) => void;

/**
 * Runs `fns` in order on `arg`; `done` gets the first error, or nothing once all passed.
 * Shared by connection middlewares (Namespace.use) and per-packet middlewares (Socket.use).
 */
export function runMiddlewares<T, E extends Error>(fns: ReadonlyArray<Middleware<T, E>>, arg: T, done: (err?: E) => void): void {
  if (fns.length === 0) return done();
  const step = (i: number): void => {
    fns[i]!(arg, (err) => {
      if (err) return done(err);
      if (i + 1 >= fns.length) return done();
      step(i + 1);
    });
  };
  step(0);
}
