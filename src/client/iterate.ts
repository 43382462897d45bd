// for await over a connect() stream: one queue per loop, fed by the stream, settled when it closes.

import type { SSEError } from '../errors.js';

/** What the stream tells one loop. */
export interface Iteration {
  /** A message for the loop: handed to a waiting `next()` or queued. */
  push(event: MessageEvent): void;
  /** The stream closed: `error` is the terminal error (thrown by `next()` once the queue is drained), null for a clean close. */
  end(error: SSEError | null): void;
}

/**
 * Creates the async iterator of one `for await` loop and adds its {@link Iteration} to
 * `iterations` (pass null when the stream is already closed: the loop ends at once). Messages
 * pushed while the loop body runs are queued; `return()` (a `break`) calls `close`. Needs `Promise`.
 */
export function createIterator(iterations: Iteration[] | null, close: () => void): AsyncIterableIterator<MessageEvent> {
  const queue: MessageEvent[] = [];
  let head = 0;
  let finished = !iterations;
  let failure: SSEError | null = null;
  let waiting: { resolve: (r: IteratorResult<MessageEvent>) => void; reject: (e: unknown) => void } | null = null;
  const iteration: Iteration = {
    push(event) {
      if (waiting) {
        const w = waiting;
        waiting = null;
        w.resolve({ value: event, done: false });
      } else queue.push(event);
    },
    end(error) {
      finished = true;
      failure = error;
      if (waiting) {
        const w = waiting;
        waiting = null;
        if (error) {
          failure = null;
          w.reject(error);
        } else w.resolve({ value: undefined, done: true });
      }
    },
  };
  if (iterations) iterations.push(iteration);
  const iterator: AsyncIterableIterator<MessageEvent> = {
    next() {
      if (head < queue.length) {
        const value = queue[head++] as MessageEvent;
        if (head === queue.length) queue.length = head = 0;
        return Promise.resolve({ value, done: false });
      }
      if (finished) {
        const error = failure;
        failure = null;
        return error ? Promise.reject(error) : Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return() {
      finished = true;
      failure = null;
      queue.length = head = 0;
      close();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
