// for await over a connect() stream: one queue per loop, filtered by event type, fed by the stream, settled when it closes.

import type { SSEError } from '../errors.js';

/** What the stream tells one loop, and what it reads of it. */
export interface Iteration {
  /** Messages pushed and not yet taken by the loop: the stream holds its reads while one is not empty. */
  queue: MessageEvent[];
  /** A message of the stream: handed to a waiting `next()`, queued, or dropped when its type is not one the loop takes. */
  push(event: MessageEvent): void;
  /** The stream closed: `error` is the terminal error (thrown by `next()` once the queue is drained), null for a clean close. */
  end(error: SSEError | null): void;
}

/**
 * Creates the async iterator of one loop over the messages whose type is in `types` (every type
 * when empty) and adds its {@link Iteration} to `iterations` (pass null when the stream is already
 * closed: the loop ends at once). `waiting` is called whenever `next()` finds the queue empty and
 * waits; `return()` (a `break`) calls `close`. Needs `Promise`.
 */
export function createIterator(iterations: Iteration[] | null, types: string[], waiting: () => void, close: () => void): AsyncIterableIterator<MessageEvent> {
  const queue: MessageEvent[] = [];
  let finished = !iterations;
  let failure: SSEError | null = null;
  // Settles the promise of the next() that waits, once a message or the end is there.
  let wake: (() => void) | null = null;
  const iteration: Iteration = {
    queue,
    push(event) {
      if (types.length && types.indexOf(event.type) < 0) return;
      queue.push(event);
      if (wake) wake();
    },
    end(error) {
      finished = true;
      failure = error;
      if (wake) wake();
    },
  };
  if (iterations) iterations.push(iteration);
  const iterator = {
    next() {
      return new Promise<IteratorResult<MessageEvent>>((resolve, reject) => {
        // The next message, else the end (the terminal error thrown once), else true: wait.
        const answer = (): true | void => {
          wake = null;
          if (queue.length) return resolve({ value: queue.shift() as MessageEvent, done: false });
          if (!finished) {
            wake = answer;
            return true;
          }
          const error = failure;
          failure = null;
          if (error) reject(error);
          else resolve({ value: undefined, done: true });
        };
        if (answer()) waiting();
      });
    },
    return() {
      finished = true;
      failure = null;
      queue.length = 0;
      close();
      return Promise.resolve({ value: undefined, done: true });
    },
  } as AsyncIterableIterator<MessageEvent>;
  // Engines without Symbol (IE) can still call next() by hand.
  if (typeof Symbol === 'function' && Symbol.asyncIterator) iterator[Symbol.asyncIterator] = () => iterator;
  return iterator;
}
