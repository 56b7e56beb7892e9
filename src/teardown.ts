// One teardown stack for the composition root: what was opened is closed in reverse, by stop() and by a start that failed halfway.
import { describeError } from './errors';
import type { Logger } from './log';

export interface Teardown {
  /** Close `what` with `close` when the stack runs (after everything added later). */
  add(what: string, close: () => Promise<void> | void): void;
  /** Close everything added, newest first, each once; a failure is logged and the rest still close. */
  run(): Promise<void>;
}

export function createTeardown(log: Logger): Teardown {
  const stack: { what: string; close: () => Promise<void> | void }[] = [];
  let running: Promise<void> | null = null;
  return {
    add(what, close) {
      stack.push({ what, close });
    },
    run() {
      running ??= (async () => {
        // Entries added while closing (none expected) are closed too, in the same order.
        for (let e = stack.pop(); e; e = stack.pop()) {
          try {
            await e.close();
          } catch (err) {
            log.error({ err: describeError(err), what: e.what }, 'could not close');
          }
        }
      })().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
