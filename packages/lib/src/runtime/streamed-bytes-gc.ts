import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options?: { type?: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

/** How many body bytes pass between two young-generation collections. */
const STREAMED_BYTES_PER_GC = 4 * 1024 * 1024;

let gc: GcFunction | undefined | null = null;
let streamed = 0;

function gcFunction(): GcFunction | undefined {
  if (gc === null) {
    try {
      setFlagsFromString('--expose-gc');
      setFlagsFromString('--no-concurrent-array-buffer-sweeping');
      gc = runInNewContext('gc') as GcFunction;
    } catch {
      gc = undefined;
    }
  }
  return gc;
}

/**
 * Counts body bytes streamed through the process and asks V8 for an asynchronous young-generation collection
 * every 4 MiB. Each socket read is a fresh 64 KiB buffer whose tiny JS wrapper dies young; V8 only collects
 * on JS-heap pressure or after ~64 MiB of such external memory, so without this nudge a large transfer leaves
 * tens of MiB of dead buffers resident. A minor collection costs well under a millisecond.
 */
export function noteStreamedBytes(bytes: number): void {
  streamed += bytes;
  if (streamed < STREAMED_BYTES_PER_GC) return;
  streamed = 0;
  gcFunction()?.({ type: 'minor', execution: 'async' });
}
