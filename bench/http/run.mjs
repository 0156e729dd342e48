#!/usr/bin/env node
// HTTP data-plane benchmark (issue #6 item 6): Orion against nginx, a minimal node:http + undici proxy and the origin
// itself, all in one run, interleaved. See bench/http/README.md.
//
//   node bench/http/run.mjs            # builds @orion/proxy first; about 5 minutes
//   node bench/http/run.mjs --help
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure, parseH2load } from './lib/load.mjs';
import { HELLO_PATH, LARGE_BODY_BYTES, LARGE_PATH } from './lib/nginx.mjs';
import { haveCommand, installCleanupHooks, runToCompletion, stopAll } from './lib/processes.mjs';
import { fmtMiB, fmtMs, fmtPct, fmtRate, fmtRatio, ratio, summarise, table } from './lib/report.mjs';
import { fetchOnce, startOrigin, startTargets } from './lib/targets.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const USAGE = `Usage: node bench/http/run.mjs [options]

  --duration <s>          seconds per measured HTTP/1.1 wrk run (default 10)
  --rounds <n>            interleaved rounds of the HTTP/1.1 run (default 3)
  --warmup <s>            unmeasured wrk run per target before each part (default 3)
  --connections <n>       wrk connections (default 64)
  --h2-duration <s>       seconds per h2load run (default 5); --h2-rounds (default 3)
  --h2-connections <n>    h2load connections (default 8); --h2-streams <n> concurrent streams each (default 8)
  --large-duration <s>    seconds per 1 MiB-body wrk run (default 5); --large-rounds (default 3)
  --large-connections <n> wrk connections for 1 MiB bodies (default 16)
  --skip-h2, --skip-large leave out a part
  --only <keys>           comma-separated subset of: origin,nginx,node,orion,orion-nostats (and orion-b)
  --skip-stats-off        leave out "Orion, stats_matcher reject_all" (orion-nostats: the same build with stats off,
                          HTTP/1.1 part only), whose ratio to Orion is the cost of stats recording
  --orion-cli <cli.js>    the Orion build to measure (default packages/proxy/dist/cli.js, built first)
  --orion-b <cli.js>      also measure a second Orion build (e.g. a prototype) as "orion-b"
  --orion-node-arg <arg>  extra node flag for the Orion processes (repeatable)
  --proxy-cpu <n>         CPU the targets are pinned to (default 0)
  --load-cpu <n>          CPU wrk, h2load and the origin are pinned to (default 1)
  --no-build              do not build @orion/proxy first
  --json <file>           also write every sample as JSON
  --keep-tmp              keep the temp directory (configs, logs)
`;

const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '64' },
    'h2-duration': { type: 'string', default: '5' },
    'h2-rounds': { type: 'string', default: '3' },
    'h2-connections': { type: 'string', default: '8' },
    'h2-streams': { type: 'string', default: '8' },
    'large-duration': { type: 'string', default: '5' },
    'large-rounds': { type: 'string', default: '3' },
    'large-connections': { type: 'string', default: '16' },
    'skip-h2': { type: 'boolean', default: false },
    'skip-large': { type: 'boolean', default: false },
    'skip-stats-off': { type: 'boolean', default: false },
    only: { type: 'string' },
    'orion-cli': { type: 'string' },
    'orion-b': { type: 'string' },
    'orion-node-arg': { type: 'string', multiple: true, default: [] },
    'proxy-cpu': { type: 'string', default: '0' },
    'load-cpu': { type: 'string', default: '1' },
    'no-build': { type: 'boolean', default: false },
    json: { type: 'string' },
    'keep-tmp': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const num = (k) => {
  const n = Number(opts[k]);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${k}: not a number: ${opts[k]}`);
  return n;
};

const out = (text = '') => process.stdout.write(`${text}\n`);

function preflight() {
  const missing = ['wrk', 'nginx', 'taskset', ...(opts['skip-h2'] ? [] : ['h2load'])].filter((c) => !haveCommand(c));
  if (missing.length > 0) {
    process.stderr.write(`missing: ${missing.join(', ')}\ninstall with: apt-get update && apt-get install -y wrk nghttp2-client nginx util-linux\n`);
    process.exit(1);
  }
}

function build() {
  out('building @orion/proxy (nx, cached when unchanged) ...');
  const r = spawnSync('pnpm', ['nx', 'run', '@orion/proxy:build', '--outputStyle=static'], { cwd: ROOT, env: { ...process.env, NX_DAEMON: 'false' }, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout}\n${r.stderr}\nbuild failed (exit ${r.status})\n`);
    process.exit(1);
  }
}

function versionLine(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.split('\n').find((l) => l.trim() !== '')?.trim() ?? '?';
}

/** The commit of the checkout a built cli.js belongs to, and how many files under its packages/ differ from it. */
function buildRevision(cli) {
  const root = resolve(cli, '../../../..');
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim() || 'not a git checkout';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'packages'], { cwd: root, encoding: 'utf8' }).stdout.split('\n').filter((l) => l !== '').length;
  return `commit ${commit}${dirty > 0 ? ` + ${dirty} uncommitted changes under packages/` : ''}`;
}

function rotate(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/**
 * One part of the benchmark: a warm-up per target, then `rounds` rounds in which every target is measured once,
 * the order rotating from round to round. A target that fails is reported and left out of later rounds.
 */
async function runPart(part, targets, env) {
  const samples = new Map(targets.map((t) => [t.key, []]));
  const failures = new Map();
  const run = async (t, durationS) => {
    const h = part.handleOf(t);
    return measure(h.handle, { ...part.load, url: `${h.url}${part.path}`, durationS, loadCpu: env.loadCpu, targetCpu: env.proxyCpu });
  };
  const alive = () => targets.filter((t) => !failures.has(t.key));
  if (part.warmupS > 0) {
    for (const t of alive()) {
      try {
        await run(t, part.warmupS);
      } catch (err) {
        failures.set(t.key, err.message.split('\n')[0]);
      }
    }
  }
  for (let round = 0; round < part.rounds; round++) {
    const order = rotate(alive(), round);
    const line = [];
    for (const t of order) {
      try {
        const s = await run(t, part.durationS);
        samples.get(t.key).push(s);
        line.push(`${t.key} ${fmtRate(s.rps)} rps, ${fmtRate(s.rpsPerCore)}/core`);
      } catch (err) {
        failures.set(t.key, err.message.split('\n')[0]);
        line.push(`${t.key} FAILED`);
      }
    }
    out(`  round ${round + 1}/${part.rounds}: ${line.join(' · ')}`);
  }
  return { samples, failures };
}

function printPart(title, allTargets, result, { latency, bandwidth, unsupported = new Map(), rows: shown }) {
  const targets = shown ?? allTargets;
  out();
  out(`### ${title}`);
  out();
  const rows = targets.map((t) => {
    if (unsupported.has(t.key)) return [t.label, unsupported.get(t.key), '', '', '', '', '', '', ''];
    const s = result.samples.get(t.key) ?? [];
    if (s.length === 0) return [t.label, `failed: ${result.failures.get(t.key) ?? 'no samples'}`, '', '', '', '', '', '', ''];
    const m = summarise(s);
    const lat = latency === 'mean' ? [fmtMs(m.mean), fmtMs(m.max)] : [fmtMs(m.p50), fmtMs(m.p99)];
    return [
      t.label,
      bandwidth ? `${fmtRate(m.rps)} (${(m.bytesPerSecond / 1024 / 1024).toFixed(0)} MiB/s)` : fmtRate(m.rps),
      fmtPct(m.cpuShare),
      fmtRate(m.rpsPerCore),
      ...lat,
      fmtMiB(m.rss),
      String(m.errors),
      `${fmtPct(m.coreBusyShare)} (${fmtPct(m.softirqShare)})`,
      m.perRound.map(fmtRate).join(', '),
    ];
  });
  const latHeader = latency === 'mean' ? ['mean', 'max'] : ['p50', 'p99'];
  out(table(['target', 'rps', 'CPU', 'rps/core', ...latHeader, 'RSS', 'errors', 'core busy (softirq)', 'rps/core by round'], rows));
  out();
  const pairs = [
    ['orion', 'node', 'Orion / minimal node'],
    ['orion', 'nginx', 'Orion / nginx'],
    ['node', 'nginx', 'minimal node / nginx'],
    ['orion-b', 'orion', 'orion-b / Orion'],
    ['orion-b', 'node', 'orion-b / minimal node'],
    ['orion', 'orion-nostats', 'Orion (stats on) / Orion (stats_matcher reject_all)'],
  ];
  for (const [a, b, name] of pairs) {
    const sa = result.samples.get(a);
    const sb = result.samples.get(b);
    if (sa === undefined || sb === undefined || sa.length === 0 || sb.length === 0) continue;
    const r = ratio(sa, sb);
    out(`- ${name}: ${fmtRatio(r.perCore)} per core (rounds ${r.perCoreRounds.map((x) => x.toFixed(2)).join(', ')}), ${fmtRatio(r.rps)} rps`);
    if (b === 'orion-nostats') {
      const cost = 1 - r.perCore;
      out(`- cost of stats recording: ${(cost * 100).toFixed(1)} % of throughput per core (issue #8 bar: ≤ 5 %; ${cost <= 0.05 ? 'within' : 'above'} it in this run)`);
    }
  }
}

/** True when `url` answers a few h2c (prior knowledge) requests. */
async function h2cSupported(url, loadCpu) {
  const { code, output } = await runToCompletion('h2load probe', 'h2load', ['-n', '20', '-c', '1', '-m', '1', url], { cpu: loadCpu, timeoutMs: 10_000 });
  if (code !== 0) return false;
  try {
    const r = parseH2load(output);
    return r.requests === 20 && r.errors === 0;
  } catch {
    return false;
  }
}

async function main() {
  preflight();
  installCleanupHooks();
  const cpuCount = availableParallelism();
  let proxyCpu = num('proxy-cpu');
  let loadCpu = num('load-cpu');
  if (cpuCount < 2) {
    out('warning: one CPU only: nothing is pinned, so the targets share their core with wrk and the origin');
    proxyCpu = undefined;
    loadCpu = undefined;
  }
  if (!opts['no-build'] && opts['orion-cli'] === undefined) build();
  const orionCli = opts['orion-cli'] === undefined ? join(ROOT, 'packages/proxy/dist/cli.js') : resolve(opts['orion-cli']);
  const orionBuilds = [{ key: 'orion', label: 'Orion', cli: orionCli }];
  if (opts['orion-b'] !== undefined) orionBuilds.push({ key: 'orion-b', label: 'Orion (B)', cli: resolve(opts['orion-b']) });
  // The same build with Envoy's switch for stats (`stats_matcher: { reject_all: true }`: no stats store in the data
  // plane): Orion / this is the cost of stats recording (issue #8: ≤ 5 %). HTTP/1.1 part only.
  if (!opts['skip-stats-off']) orionBuilds.push({ key: 'orion-nostats', label: 'Orion, stats_matcher reject_all', cli: orionCli, statsOff: true, http1Only: true });

  const tmp = mkdtempSync(join(tmpdir(), 'orion-bench-http-'));
  // nginx workers run as nobody when started as root; they read the 1 MiB file under it.
  chmodSync(tmp, 0o755);
  const env = { proxyCpu, loadCpu };
  const json = { started: new Date().toISOString(), options: opts, parts: {} };
  try {
    out(`## HTTP benchmark — ${new Date().toISOString()}`);
    out();
    out(`- machine: ${cpus()[0]?.model ?? '?'} × ${cpuCount}, Node ${process.version}, ${versionLine('nginx', ['-v'])}, ${versionLine('wrk', ['-v'])}`);
    out(`- pinning: targets on CPU ${proxyCpu ?? '–'}, wrk/h2load and the origin on CPU ${loadCpu ?? '–'}; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const origin = await startOrigin(tmp, { cpu: loadCpu });
    const only = opts.only?.split(',').map((s) => s.trim());
    const targets = await startTargets(tmp, origin, { cpu: proxyCpu, only, orionBuilds, orionArgs: opts['orion-node-arg'] });
    out(`- targets: ${targets.map((t) => `${t.key} (pid ${t.handle.pid})`).join(', ')}`);
    for (const b of orionBuilds) out(`- ${b.key}: ${b.cli} (${buildRevision(b.cli)})`);

    // HTTP/1.1, 12-byte bodies.
    const connections = num('connections');
    out();
    out(`HTTP/1.1: ${num('rounds')} rounds × ${num('duration')} s per target, wrk -t1 -c${connections} --latency, after ${num('warmup')} s warm-up`);
    const h1 = await runPart(
      {
        path: HELLO_PATH,
        durationS: num('duration'),
        rounds: num('rounds'),
        warmupS: num('warmup'),
        load: { tool: 'wrk', connections },
        handleOf: (t) => ({ handle: t.handle, url: t.url }),
      },
      targets,
      env,
    );
    json.parts.http1 = Object.fromEntries(h1.samples);

    // h2c.
    let h2;
    const h2Unsupported = new Map();
    if (!opts['skip-h2']) {
      const h2Targets = [];
      for (const t of targets.filter((x) => !x.http1Only)) {
        if (await h2cSupported(`${t.h2c.url}${HELLO_PATH}`, loadCpu)) h2Targets.push(t);
        else h2Unsupported.set(t.key, 'h2c not supported yet');
      }
      out();
      out(`h2c: ${num('h2-rounds')} rounds × ${num('h2-duration')} s, h2load -t1 -c${num('h2-connections')} -m${num('h2-streams')}; without h2c: ${[...h2Unsupported.keys()].join(', ') || 'none'}`);
      h2 = await runPart(
        {
          path: HELLO_PATH,
          durationS: num('h2-duration'),
          rounds: num('h2-rounds'),
          warmupS: Math.min(num('warmup'), 2),
          load: { tool: 'h2load', connections: num('h2-connections'), streams: num('h2-streams') },
          handleOf: (t) => t.h2c,
        },
        h2Targets,
        env,
      );
      json.parts.h2c = Object.fromEntries(h2.samples);
    }

    // 1 MiB bodies.
    let large;
    const largeTargets = targets.filter((t) => !t.http1Only);
    if (!opts['skip-large']) {
      for (const t of largeTargets) {
        const r = await fetchOnce(`${t.url}${LARGE_PATH}`, 10_000);
        if (r.status !== 200 || r.body.length !== LARGE_BODY_BYTES) throw new Error(`${t.key}: ${LARGE_PATH} answered ${r.status} with ${r.body.length} bytes`);
      }
      out();
      out(`1 MiB bodies: ${num('large-rounds')} rounds × ${num('large-duration')} s, wrk -t1 -c${num('large-connections')}`);
      large = await runPart(
        {
          path: LARGE_PATH,
          durationS: num('large-duration'),
          rounds: num('large-rounds'),
          warmupS: Math.min(num('warmup'), 2),
          load: { tool: 'wrk', connections: num('large-connections') },
          handleOf: (t) => ({ handle: t.handle, url: t.url }),
        },
        largeTargets,
        env,
      );
      json.parts.large = Object.fromEntries(large.samples);
    }

    out();
    out(`load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    printPart(`HTTP/1.1, 12-byte body (wrk -t1 -c${connections}; medians of ${num('rounds')} × ${num('duration')} s)`, targets, h1, {});
    if (h2 !== undefined) {
      printPart(`h2c, 12-byte body (h2load -t1 -c${num('h2-connections')} -m${num('h2-streams')}; medians of ${num('h2-rounds')} × ${num('h2-duration')} s)`, targets, h2, {
        latency: 'mean',
        unsupported: h2Unsupported,
        rows: targets.filter((t) => !t.http1Only),
      });
    }
    if (large !== undefined) {
      printPart(`HTTP/1.1, 1 MiB body (wrk -t1 -c${num('large-connections')}; medians of ${num('large-rounds')} × ${num('large-duration')} s)`, largeTargets, large, { bandwidth: true });
    }
    out();
    out('CPU = the target\'s CPU time ÷ wall time (all its processes and threads); rps/core = requests ÷ CPU seconds;');
    out('core busy = everything that ran on the target\'s CPU, softirq = its share spent in softirq (loopback TCP,');
    out('not charged to any process); busy well above CPU + softirq means other processes interfered.');
    for (const t of targets) {
      if (t.accessLog === undefined) continue;
      let size = 0;
      try {
        size = statSync(t.accessLog).size;
      } catch {
        // Not written.
      }
      const head = Buffer.alloc(400);
      let n = 0;
      if (size > 0) {
        const fd = openSync(t.accessLog, 'r');
        n = readSync(fd, head, 0, head.length, 0);
        closeSync(fd);
      }
      const first = head.subarray(0, n).toString('latin1').split('\n')[0];
      out(`access log of ${t.key}: ${(size / 1024 / 1024).toFixed(1)} MiB; first line: ${first}`);
    }
    if (opts.json !== undefined) writeFileSync(opts.json, JSON.stringify(json, null, 2));
  } finally {
    await stopAll();
    if (opts['keep-tmp']) out(`temp directory kept: ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch(async (err) => {
  process.stderr.write(`bench/http: ${err.stack ?? err}\n`);
  await stopAll();
  process.exit(1);
});
