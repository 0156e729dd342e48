// Child processes of the HTTP benchmark: spawned in their own process group, optionally pinned to a CPU with
// taskset, tracked so that every one of them is stopped on success, failure, Ctrl-C or an uncaught error.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Children still running, by pid. */
const running = new Map();

/** Clock ticks per second of /proc/<pid>/stat times. */
export const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number.parseInt(r.stdout ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** True when `cmd` is on the PATH. */
export function haveCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts `cmd args` (under `taskset -c <cpu>` when `cpu` is given) in its own process group, with stdout/stderr
 * collected line by line. Returns a handle with `waitFor(regexp)` and `stop()`.
 */
export function startProcess(name, cmd, args, { cpu, env, cwd } = {}) {
  const [file, argv] = cpu === undefined ? [cmd, args] : ['taskset', ['-c', String(cpu), cmd, ...args]];
  const child = spawn(file, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines = [];
  const waiters = new Set();
  let exited;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child.pid);
      exited = code ?? signal ?? 'unknown';
      resolve(exited);
      for (const w of waiters) w.reject(new Error(`${name} exited (${exited}) before printing ${w.pattern}\n${lines.slice(-20).join('\n')}`));
      waiters.clear();
    });
    child.on('error', (err) => {
      running.delete(child.pid);
      exited = 'spawn error';
      resolve(exited);
      for (const w of waiters) w.reject(new Error(`${name}: ${err.message}`));
      waiters.clear();
    });
  });
  const feed = () => {
    let partial = '';
    return (chunk) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > 500) lines.shift();
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
  child.stdout.on('data', feed());
  child.stderr.on('data', feed());
  const handle = {
    name,
    child,
    get pid() {
      return child.pid;
    },
    lines,
    get exitCode() {
      return exited;
    },
    exited: exitPromise,
    /** Resolves with the first output line matching `pattern`; rejects on exit or after `timeoutMs`. */
    waitFor(pattern, timeoutMs = 15_000) {
      for (const line of lines) {
        const m = line.match(pattern);
        if (m !== null) return Promise.resolve(m);
      }
      if (exited !== undefined) return Promise.reject(new Error(`${name} exited (${exited})\n${lines.slice(-20).join('\n')}`));
      return new Promise((resolve, reject) => {
        const w = { pattern, resolve: (m) => (clearTimeout(timer), resolve(m)), reject: (e) => (clearTimeout(timer), reject(e)) };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`${name}: no output line matching ${pattern} within ${timeoutMs} ms\n${lines.slice(-20).join('\n')}`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once the leader exited. */
    async stop(graceMs = 5_000) {
      if (exited !== undefined) return exited;
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
      const code = await exitPromise;
      clearTimeout(timer);
      // nginx workers or other members of the group that outlived the leader.
      signalGroup(child.pid, 'SIGKILL');
      return code;
    },
  };
  if (child.pid !== undefined) running.set(child.pid, handle);
  return handle;
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Stops every child still running (used on the way out, including on failure). */
export async function stopAll() {
  await Promise.all([...running.values()].map((h) => h.stop(3_000)));
}

let hooksInstalled = false;
/** Makes sure children never outlive this process: SIGKILL on exit, orderly stop on SIGINT/SIGTERM. */
export function installCleanupHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const pid of running.keys()) signalGroup(pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the benchmark's processes\n`);
      void stopAll().finally(() => process.exit(130));
    });
  }
}

/** A TCP port free on 127.0.0.1 right now (for configurations that cannot bind port 0). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `pid` and every descendant of it (nginx master and workers; a future orion primary and its workers). */
export function processTree(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat !== undefined) parents.set(Number(entry), stat.ppid);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

function readStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may contain spaces; the fields after it are space-separated.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(rest[1]), utime: Number(rest[11]), stime: Number(rest[12]) };
}

/** User + system CPU seconds used so far by `pids` (all their threads; processes that are gone count 0). */
export function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const s = readStat(pid);
    if (s !== undefined) ticks += s.utime + s.stime;
  }
  return ticks / CLK_TCK;
}

/** Resident set size of `pids` together, bytes. */
export function rssBytes(pids) {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
      if (m !== null) kb += Number(m[1]);
    } catch {
      // Gone.
    }
  }
  return kb * 1024;
}

/**
 * Busy (non-idle, non-iowait) and softirq seconds of one CPU from /proc/stat, to see what else ran on the target's
 * core: loopback TCP processing runs largely in softirq context and is not charged to any process.
 */
export function cpuCoreSeconds(cpu) {
  const line = readFileSync('/proc/stat', 'latin1')
    .split('\n')
    .find((l) => l.startsWith(`cpu${cpu} `));
  if (line === undefined) return { busy: 0, softirq: 0 };
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const busy = f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0);
  return { busy: busy / CLK_TCK, softirq: f[6] / CLK_TCK };
}

/** Runs a command to completion (bounded by `timeoutMs`), pinned to `cpu` when given; resolves with its output. */
export function runToCompletion(name, cmd, args, { cpu, timeoutMs }) {
  const handle = startProcess(name, cmd, args, { cpu });
  const timer = setTimeout(() => void handle.stop(2_000), timeoutMs);
  return handle.exited.then((code) => {
    clearTimeout(timer);
    return { code, output: handle.lines.join('\n') };
  });
}

/** Resolves after `ms`. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
