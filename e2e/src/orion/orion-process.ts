import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `orion` executable (e2e tests run after every package's build). */
export const ORION_BIN = fileURLToPath(new URL('../../../packages/proxy/dist/cli.js', import.meta.url));

/** A running `orion` process with its output collected line by line. */
export interface OrionProcess {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves with the first output line (stdout or stderr) matching `pattern`, within `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal's name) within `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number | string>;
  /** Sends `signal` (default SIGTERM) and waits for the exit; kills it after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

/** Starts `orion` with `args`. */
export function startOrion(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): OrionProcess {
  const child = spawn(process.execPath, [ORION_BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }>();
  const feed = (into: string[]) => {
    let partial = '';
    return (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        into.push(line);
        for (const w of waiters) {
          const m = line.match(w.pattern);
          if (m !== null) {
            waiters.delete(w);
            w.resolve(m);
          }
        }
      }
    };
  };
  child.stdout?.on('data', feed(stdout));
  child.stderr?.on('data', feed(stderr));
  let exitCode: number | string | undefined;
  const exitPromise = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? signal ?? 'unknown';
      resolve(exitCode);
    });
  });

  const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`)), ms);
      p.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });

  return {
    child,
    stdout,
    stderr,
    waitForLine(pattern, timeoutMs = 10_000) {
      for (const line of [...stdout, ...stderr]) {
        const m = line.match(pattern);
        if (m !== null) return Promise.resolve(m);
      }
      const found = new Promise<RegExpMatchArray>((resolve) => waiters.add({ pattern, resolve }));
      return withTimeout(Promise.race([found, exitPromise.then((code) => Promise.reject(new Error(`orion exited (${code}) before printing ${pattern}`)))]), timeoutMs, `no line matching ${pattern}`);
    },
    exited(timeoutMs = 10_000) {
      return withTimeout(exitPromise, timeoutMs, 'orion did not exit');
    },
    async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
      if (exitCode !== undefined) return exitCode;
      child.kill(signal);
      try {
        return await withTimeout(exitPromise, timeoutMs, 'orion did not stop');
      } catch {
        child.kill('SIGKILL');
        return exitPromise;
      }
    },
  };
}
