// Handing a promise's outcome to a plugin's callback: a throw out of the callback must never become an unhandled rejection, which ends the process.

/** Told of a throw out of a callback (the request it served cannot be answered any more). */
export type CallbackThrew = (err: unknown) => void;

/** Without a logger to hand, a throw out of a callback is at least a process warning. */
export const warnCallbackThrew: CallbackThrew = (err) =>
  process.emitWarning(
    `a store callback threw: ${err instanceof Error ? err.message : String(err)}`,
  );

/**
 * `cb(null, value)` once `work` resolves, `cb(err)` if it rejects. The callback runs the caller's
 * continuation (for the session plugin: the rest of the request, up to writing the answer), so
 * whatever it throws goes to `threw`, never back into the promise chain.
 */
export function settle<T>(
  work: Promise<T>,
  cb: (err: Error | null, value?: T) => void,
  threw: CallbackThrew,
): void {
  const deliver = (call: () => void) => {
    try {
      call();
    } catch (err) {
      try {
        threw(err);
      } catch {
        // Nothing is left to tell: the process survives, which is what this is for.
      }
    }
  };
  work.then(
    (value) => deliver(() => cb(null, value)),
    (err: unknown) => deliver(() => cb(err instanceof Error ? err : new Error(String(err)))),
  );
}
