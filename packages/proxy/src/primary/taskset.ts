import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** The path of `taskset` (util-linux) on `PATH`, or undefined when it is not installed. */
export async function findTaskset(env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'taskset');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * Pins every thread of process `pid` to `cores` with `taskset -a -p -c` (Node has no CPU-affinity API; threads
 * created later inherit the main thread's mask). Rejects with taskset's message on failure.
 */
export function pinProcess(taskset: string, pid: number, cores: readonly number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(taskset, ['-a', '-p', '-c', cores.join(','), String(pid)], { timeout: 5_000 }, (err, _stdout, stderr) => {
      if (err === null) resolve();
      else reject(new Error(stderr.trim() === '' ? err.message : stderr.trim()));
    });
  });
}
