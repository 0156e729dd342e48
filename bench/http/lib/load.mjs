// Load generators: wrk for HTTP/1.1 (with --latency for the percentile table) and h2load for h2c, each pinned to the
// load CPU, bounded in time, with the target's CPU time and the target core's busy time sampled around the run.
import { cpuCoreSeconds, cpuSeconds, processTree, rssBytes, runToCompletion } from './processes.mjs';

const UNIT_SECONDS = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** `1.23ms` → seconds. */
export function parseDuration(text) {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (m === null) return Number.NaN;
  return Number(m[1]) * UNIT_SECONDS[m[2]];
}

const SIZE = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** Parses wrk's output (run with --latency). */
export function parseWrk(output) {
  const requests = /(\d+) requests in ([\d.]+\w+)/.exec(output);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const transfer = /Transfer\/sec:\s+([\d.]+)(\w+)/.exec(output);
  const pct = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+\\w+)`, 'm').exec(output);
    return m === null ? Number.NaN : parseDuration(m[1]);
  };
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  if (requests === null || rps === null) throw new Error(`cannot parse wrk output:\n${output}`);
  return {
    requests: Number(requests[1]),
    seconds: parseDuration(requests[2]),
    rps: Number(rps[1]),
    bytesPerSecond: transfer === null ? Number.NaN : Number(transfer[1]) * (SIZE[transfer[2]] ?? 1),
    p50: pct(50),
    p99: pct(99),
    errors: (errors === null ? 0 : errors.slice(1).reduce((a, b) => a + Number(b), 0)) + (non2xx === null ? 0 : Number(non2xx[1])),
  };
}

/** Parses h2load's output. */
export function parseH2load(output) {
  const finished = /finished in ([\d.]+\w+), ([\d.]+) req\/s, ([\d.]+)(\w+)\/s/.exec(output);
  const counts = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(output);
  const status = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(output);
  const time = /time for request:\s+([\d.]+\w+)\s+([\d.]+\w+)\s+([\d.]+\w+)/.exec(output);
  if (finished === null || counts === null) throw new Error(`cannot parse h2load output:\n${output}`);
  const succeeded = Number(counts[4]);
  const non2xx = status === null ? 0 : Number(status[2]) + Number(status[3]) + Number(status[4]);
  return {
    requests: succeeded - non2xx,
    seconds: parseDuration(finished[1]),
    rps: Number(finished[2]),
    bytesPerSecond: Number(finished[3]) * (SIZE[finished[4]] ?? 1),
    mean: time === null ? Number.NaN : parseDuration(time[3]),
    max: time === null ? Number.NaN : parseDuration(time[2]),
    errors: Number(counts[5]) + Number(counts[6]) + Number(counts[7]) + non2xx,
  };
}

/**
 * Runs one measured load against `target` (which has `pid`), pinned to `loadCpu`; returns the load tool's figures
 * plus the target's CPU seconds, CPU share, requests per CPU-second ("rps per core"), RSS after the run, and how
 * busy the target's core was in total (to see interference from other processes on a shared machine).
 */
export async function measure(target, { tool, url, durationS, connections, streams, loadCpu, targetCpu }) {
  const pids = processTree(target.pid);
  const args =
    tool === 'wrk'
      ? ['-t1', `-c${connections}`, `-d${durationS}s`, '--latency', url]
      : ['-t1', `-c${connections}`, `-m${streams}`, `-D${durationS}`, url];
  const cpu0 = cpuSeconds(pids);
  const core0 = targetCpu === undefined ? undefined : cpuCoreSeconds(targetCpu);
  const t0 = process.hrtime.bigint();
  const { code, output } = await runToCompletion(tool, tool, args, { cpu: loadCpu, timeoutMs: (durationS + 20) * 1000 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = cpuSeconds(pids) - cpu0;
  const core1 = targetCpu === undefined ? undefined : cpuCoreSeconds(targetCpu);
  if (code !== 0) throw new Error(`${tool} exited ${code}:\n${output}`);
  const r = tool === 'wrk' ? parseWrk(output) : parseH2load(output);
  return {
    ...r,
    cpuSeconds: cpu,
    cpuShare: cpu / wall,
    rpsPerCore: cpu > 0 ? r.requests / cpu : Number.NaN,
    rss: rssBytes(pids),
    coreBusyShare: core1 === undefined ? Number.NaN : (core1.busy - core0.busy) / wall,
    softirqShare: core1 === undefined ? Number.NaN : (core1.softirq - core0.softirq) / wall,
  };
}
