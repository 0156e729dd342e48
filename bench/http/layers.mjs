#!/usr/bin/env node
// Where a Node proxy's per-request CPU goes, layer by layer: the minimal node:http + undici proxy against
// lean-proxy.mjs with node:http and/or undici replaced by a lean codec on Node's native HTTP parser. Same origin,
// pinning and wrk load as run.mjs; interleaved rounds (the order reverses every round); rps per core and the ratio
// to the minimal proxy, round by round. The lean variants skip what a real proxy needs, so read them as ceilings.
//
//   node bench/http/layers.mjs [--rounds 6] [--duration 5]
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure } from './lib/load.mjs';
import { HELLO_PATH } from './lib/nginx.mjs';
import { installCleanupHooks, startProcess, stopAll } from './lib/processes.mjs';
import { fmtMs, fmtRate, median, table } from './lib/report.mjs';
import { startOrigin, waitUntilServing } from './lib/targets.mjs';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '64' },
  },
});
const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const VARIANTS = [
  { key: 'minimal', label: 'node:http + undici (minimal-proxy.mjs)', args: [here('minimal-proxy.mjs')] },
  { key: 'http+lean', label: 'node:http + lean upstream', args: [here('lean-proxy.mjs'), '--down', 'node', '--up', 'lean'] },
  { key: 'lean+undici', label: 'lean downstream + undici', args: [here('lean-proxy.mjs'), '--down', 'lean', '--up', 'undici'] },
  { key: 'lean+lean', label: 'lean downstream + lean upstream', args: [here('lean-proxy.mjs'), '--down', 'lean', '--up', 'lean'] },
];

async function main() {
  installCleanupHooks();
  const pinned = availableParallelism() >= 2;
  const proxyCpu = pinned ? 0 : undefined;
  const loadCpu = pinned ? 1 : undefined;
  const tmp = mkdtempSync(join(tmpdir(), 'orion-bench-layers-'));
  chmodSync(tmp, 0o755);
  try {
    const origin = await startOrigin(tmp, { cpu: loadCpu });
    const targets = [];
    for (const v of VARIANTS) {
      const handle = startProcess(v.key, process.execPath, [...v.args, '--origin', `http://127.0.0.1:${origin.port}`], { cpu: proxyCpu });
      const [, port] = await handle.waitFor(/^listening (\d+)/);
      const url = `http://127.0.0.1:${port}${HELLO_PATH}`;
      await waitUntilServing(url, handle);
      targets.push({ ...v, handle, url, samples: [] });
    }
    const load = { tool: 'wrk', connections: Number(opts.connections), loadCpu, targetCpu: proxyCpu };
    for (const t of targets) await measure(t.handle, { ...load, url: t.url, durationS: 3 });
    const rounds = Number(opts.rounds);
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) t.samples.push(await measure(t.handle, { ...load, url: t.url, durationS: Number(opts.duration) }));
      process.stdout.write(`round ${r + 1}/${rounds}: ${targets.map((t) => `${t.key} ${fmtRate(t.samples[r].rpsPerCore)}/core`).join(' · ')}\n`);
    }
    const base = targets[0];
    const rows = targets.map((t) => {
      const ratios = t.samples.map((s, i) => s.rpsPerCore / base.samples[i].rpsPerCore);
      const perCore = median(t.samples.map((s) => s.rpsPerCore));
      return [
        t.label,
        fmtRate(perCore),
        `${(1e6 / perCore).toFixed(1)} µs`,
        fmtMs(median(t.samples.map((s) => s.p50))),
        `${median(ratios).toFixed(2)}×`,
        ratios.map((x) => x.toFixed(2)).join(', '),
      ];
    });
    process.stdout.write(`\n${table(['variant', 'rps/core', 'CPU per request', 'p50', '× minimal', 'ratio by round'], rows)}\n`);
  } finally {
    await stopAll();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch(async (err) => {
  process.stderr.write(`bench/http/layers: ${err.stack ?? err}\n`);
  await stopAll();
  process.exit(1);
});
