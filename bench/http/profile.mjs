#!/usr/bin/env node
// Where the CPU time of a proxy goes under the benchmark's HTTP/1.1 load: runs the origin and one target (Orion by
// default, or the minimal node proxy for comparison) under `node --cpu-prof`, pinned as in run.mjs, warms it up,
// drives `wrk -t1 -c64` for the measured window, stops it (the profile is written on exit) and prints self time
// by area, file and function, and the inclusive time of Orion's functions — all in µs per request.
//
//   node bench/http/profile.mjs [--target orion|node] [--duration 10] [--path /hello] [--orion-cli <cli.js>]
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT, summariseProfile } from './lib/cpu-profile.mjs';
import { measure } from './lib/load.mjs';
import { HELLO_PATH } from './lib/nginx.mjs';
import { writeOrionConfig } from './lib/orion-config.mjs';
import { haveCommand, installCleanupHooks, startProcess, stopAll } from './lib/processes.mjs';
import { fmtRate, table } from './lib/report.mjs';
import { startOrigin, waitUntilServing } from './lib/targets.mjs';

const { values: opts } = parseArgs({
  options: {
    target: { type: 'string', default: 'orion' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '64' },
    path: { type: 'string', default: HELLO_PATH },
    interval: { type: 'string', default: '250' },
    top: { type: 'string', default: '30' },
    'orion-cli': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    'stats-off': { type: 'boolean', default: false },
    h2: { type: 'boolean', default: false },
    streams: { type: 'string', default: '8' },
    'keep-profile': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  process.stdout.write(`Usage: node bench/http/profile.mjs [--target orion|node] [--duration s] [--warmup s] [--connections n]
       [--path /hello|/1m] [--interval µs] [--top n] [--orion-cli <cli.js>] [--no-build] [--stats-off] [--keep-profile <dir>]
       [--h2 [--streams n]]   (--h2: h2load -t1 -c<connections> -m<streams> over h2c instead of wrk; pass --connections 8)\n`);
  process.exit(0);
}
const out = (text = '') => process.stdout.write(`${text}\n`);

async function main() {
  for (const c of [opts.h2 ? 'h2load' : 'wrk', 'nginx', 'taskset']) {
    if (!haveCommand(c)) throw new Error(`missing ${c}: apt-get install -y wrk nginx util-linux`);
  }
  installCleanupHooks();
  const pinned = availableParallelism() >= 2;
  const proxyCpu = pinned ? 0 : undefined;
  const loadCpu = pinned ? 1 : undefined;
  const orionCli = opts['orion-cli'] === undefined ? join(REPO_ROOT, 'packages/proxy/dist/cli.js') : resolve(opts['orion-cli']);
  if (opts.target === 'orion' && opts['orion-cli'] === undefined && !opts['no-build']) {
    const r = spawnSync('pnpm', ['nx', 'run', '@orion/proxy:build', '--outputStyle=static'], { cwd: REPO_ROOT, env: { ...process.env, NX_DAEMON: 'false' }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'orion-bench-prof-'));
  chmodSync(tmp, 0o755);
  const profDir = opts['keep-profile'] === undefined ? join(tmp, 'profile') : resolve(opts['keep-profile']);
  mkdirSync(profDir, { recursive: true });
  try {
    const origin = await startOrigin(tmp, { cpu: loadCpu });
    const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-interval=${opts.interval}`];
    let handle;
    let url;
    if (opts.target === 'orion') {
      const config = writeOrionConfig(tmp, { originPort: origin.port, accessLogPath: join(tmp, 'access.log'), statsOff: opts['stats-off'] });
      handle = startProcess('orion', process.execPath, [...nodeArgs, orionCli, '-c', config, '--concurrency', '1'], { cpu: proxyCpu });
      const [, port] = await handle.waitFor(/listener listener_bench listening on 127\.0\.0\.1:(\d+)/, 30_000);
      url = `http://127.0.0.1:${port}`;
    } else if (opts.target === 'node') {
      const script = fileURLToPath(new URL('minimal-proxy.mjs', import.meta.url));
      handle = startProcess('minimal node proxy', process.execPath, [...nodeArgs, script, '--origin', `http://127.0.0.1:${origin.port}`, ...(opts.h2 ? ['--h2c'] : [])], { cpu: proxyCpu });
      const [, port] = await handle.waitFor(/^listening (\d+)/);
      url = `http://127.0.0.1:${port}`;
    } else {
      throw new Error(`--target: orion or node, not ${opts.target}`);
    }
    if (!opts.h2) await waitUntilServing(`${url}${HELLO_PATH}`, handle);
    const tool = opts.h2 ? 'h2load' : 'wrk';
    const load = { tool, connections: Number(opts.connections), streams: Number(opts.streams), loadCpu, targetCpu: proxyCpu, url: `${url}${opts.path}` };
    const shape = opts.h2 ? `h2load -t1 -c${opts.connections} -m${opts.streams}` : `wrk -t1 -c${opts.connections}`;
    out(`profiling ${opts.target} (pid ${handle.pid}): ${opts.warmup} s warm-up, then ${opts.duration} s of ${shape} ${opts.path}, sampling every ${opts.interval} µs`);
    await measure(handle, { ...load, durationS: Number(opts.warmup) });
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const m = await measure(handle, { ...load, durationS: Number(opts.duration) });
    const toUs = Number(process.hrtime.bigint() / 1000n);
    await handle.stop(15_000);
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error(`no .cpuprofile in ${profDir}`);
    out(`measured: ${fmtRate(m.rps)} rps, CPU ${(m.cpuShare * 100).toFixed(0)} %, ${fmtRate(m.rpsPerCore)} rps/core (under the profiler)`);
    report(summariseProfile(join(profDir, file), { fromUs, toUs, root: REPO_ROOT, requests: m.requests }));
    if (opts['keep-profile'] !== undefined) out(`\nprofile kept: ${join(profDir, file)} (open it in Chrome DevTools › Performance)`);
  } finally {
    await stopAll();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function report(s) {
  const top = Number(opts.top);
  const perReq = (us) => (us / s.requests).toFixed(2);
  const pct = (us) => `${((us / s.busyUs) * 100).toFixed(1)} %`;
  out(`window ${(s.windowUs / 1e6).toFixed(1)} s, busy ${(s.busyUs / 1e6).toFixed(2)} s (idle ${(s.idleUs / 1e6).toFixed(2)} s), ${s.requests} requests: ${perReq(s.busyUs)} µs of main-thread CPU per request`);
  out();
  out('#### Self time by area');
  out(table(['area', 'µs/req', 'share'], s.byArea.map((e) => [e.key, perReq(e.us), pct(e.us)])));
  out();
  out('#### Self time by file');
  out(table(['file', 'area', 'µs/req', 'share'], s.byFile.slice(0, top).map((e) => [e.key, e.area, perReq(e.us), pct(e.us)])));
  out();
  out('#### Self time by function');
  out(table(['function', 'where', 'µs/req', 'share'], s.byFunction.slice(0, top).map((e) => [e.fn, `${e.file}:${e.line}`, perReq(e.us), pct(e.us)])));
  if (s.inclusive.length > 0) {
    out();
    out('#### Inclusive time of the proxy\'s own functions (Orion or minimal-proxy.mjs): self + everything they call');
    out(table(['function', 'where', 'µs/req', 'share'], s.inclusive.slice(0, top).map((e) => [e.fn, `${e.file}:${e.line}`, perReq(e.us), pct(e.us)])));
  }
}

main().catch(async (err) => {
  process.stderr.write(`bench/http/profile: ${err.stack ?? err}\n`);
  await stopAll();
  process.exit(1);
});
