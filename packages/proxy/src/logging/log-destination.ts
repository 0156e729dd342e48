import { closeSync, openSync, writeSync } from 'node:fs';
import { OrionError } from '@orion/error';
import { ProxyErrorCode } from '../error-codes.js';

/** Where rendered log lines go. */
export interface LogDestination {
  /** Writes one line (the newline included). */
  write(line: string): void;
  /** Reopens the file (log rotation: SIGUSR1). A stream destination does nothing. */
  reopen(): void;
  /** Releases the file. */
  close(): void;
}

/** Lines written to a stream (standard error by default), one `write` each. */
export function streamLogDestination(stream: { write(text: string): unknown }): LogDestination {
  return { write: (line) => void stream.write(line), reopen: () => undefined, close: () => undefined };
}

/**
 * Lines appended to a file, one synchronous `write` each (lines of several processes appending to the same file do
 * not interleave within a line). `reopen` closes the file and opens the path again, so a rotated file is let go.
 * Throws `ORION_ERR_PROXY_LOG_FILE` when the file cannot be opened.
 */
export function fileLogDestination(path: string): LogDestination {
  const open = (): number => {
    try {
      return openSync(path, 'a');
    } catch (err) {
      throw new OrionError(ProxyErrorCode.LOG_FILE, `cannot open the log file "${path}": ${(err as Error).message}`, { cause: err });
    }
  };
  let fd: number | undefined = open();
  return {
    write(line) {
      if (fd === undefined) return;
      try {
        writeSync(fd, line);
      } catch {
        // A full disk must not take the proxy down; the line is lost.
      }
    },
    reopen() {
      const next = open();
      if (fd !== undefined) closeSync(fd);
      fd = next;
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
