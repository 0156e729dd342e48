// How should worker processes share a listening port on a Node without SO_REUSEPORT? Runs the built `orion` with
// two workers under wrk, once per node:cluster scheduling policy (SCHED_RR: the primary accepts and hands each
// connection to the next worker; SCHED_NONE: the workers accept on the shared socket themselves), interleaved, for
// keep-alive load and for one connection per request. Reports requests per second and each worker's share of the
// responses (from an `x-orion-worker: %ENVIRONMENT(ORION_WORKER_ID)%` response header), and how evenly keep-alive
// connections opened one at a time on an idle proxy land on the workers. Where the running Node
// honours reusePort it measures the SO_REUSEPORT mode instead (the only one orion uses there). Needs wrk (`apt-get install wrk`).
//   node bench/cluster-scheduling.bench.mjs [--rounds 2] [--duration 5] [--connections 64]
import { spawn, spawnSync } from 'node:child_process';
import { Agent, get } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const rounds = opt('rounds', 2);
const duration = opt('duration', 5);
const connections = opt('connections', 64);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

if (spawnSync('wrk', ['--version']).error !== undefined) {
  console.error('wrk is not installed (apt-get install wrk)');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'orion-sched-'));
const config = join(dir, 'orion.yaml');
writeFileSync(
  config,
  `static_resources:
  listeners:
    - name: main
      address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      filter_chains:
        - filters:
            - name: hcm
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: main
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
                route_config:
                  response_headers_to_add: [{ header: { key: x-orion-worker, value: "%ENVIRONMENT(ORION_WORKER_ID)%" } }]
                  virtual_hosts:
                    - { name: all, domains: ["*"], routes: [{ match: { prefix: / }, direct_response: { status: 200, body: { inline_string: "hello world\\n" } } }] }
  clusters: []
`,
);
const script = join(dir, 'count.lua');
writeFileSync(
  script,
  `local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status, headers, body)
  local w = headers["x-orion-worker"] or "?"
  counts[w] = (counts[w] or 0) + 1
end
function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do io.write(string.format("worker %s %d\\n", k, v)) end
  end
end
`,
);

async function startOrion(env) {
  const child = spawn(process.execPath, [cli, '-c', config, '--concurrency', '2', '--log-level', 'warning'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on 127\.0\.0\.1:(\d+)[\s\S]*orion: ready/.exec(out);
      if (m !== null) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`orion exited (${code})`)));
  });
  return { port, stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGINT'), child.kill('SIGINT'))) };
}

function wrk(port, close) {
  const r = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${duration}s`, '-s', script, ...(close ? ['-H', 'Connection: close'] : []), `http://127.0.0.1:${port}/`], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1] ?? 0);
  const shares = [...r.stdout.matchAll(/^worker (\S+) (\d+)$/gm)].map((m) => Number(m[2]));
  const total = shares.reduce((a, b) => a + b, 0);
  const busiest = total === 0 ? 0 : Math.max(...shares) / total;
  const errors = /Socket errors: (.*)/.exec(r.stdout)?.[1] ?? 'none';
  return { rps, busiest, workers: shares.length, errors };
}

// Where Node honours reusePort, orion always binds SO_REUSEPORT sockets: measure that mode alone.
const { reusePortSupported } = await import('../dist/index.js');
const modes = (await reusePortSupported())
  ? [{ name: 'SO_REUSEPORT', env: {} }]
  : [
      { name: 'SCHED_RR', env: { NODE_CLUSTER_SCHED_POLICY: 'rr' } },
      { name: 'SCHED_NONE', env: { NODE_CLUSTER_SCHED_POLICY: 'none' } },
    ];
console.log(`Node ${process.versions.node}, ${connections} connections, ${duration} s per run, ${rounds} round(s)`);
/** Opens `count` keep-alive connections one at a time on an idle proxy; the share of the worker holding the most. */
async function spreadOfQuietConnections(port, count) {
  const agents = [];
  const perWorker = new Map();
  for (let i = 0; i < count; i++) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    const worker = await new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers['x-orion-worker']));
      }).on('error', reject);
    });
    perWorker.set(worker, (perWorker.get(worker) ?? 0) + 1);
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const a of agents) a.destroy();
  return Math.max(...perWorker.values()) / count;
}

const results = new Map();
for (let round = 1; round <= rounds; round++) {
  for (const mode of modes) {
    const orion = await startOrion(mode.env);
    const quietKey = `${mode.name} ${connections} connections opened one at a time`;
    const quiet = await spreadOfQuietConnections(orion.port, connections);
    results.set(quietKey, [...(results.get(quietKey) ?? []), { rps: 0, busiest: quiet }]);
    console.log(`round ${round} ${quietKey}: the busiest worker holds ${(quiet * 100).toFixed(0)} % of them`);
    for (const close of [false, true]) {
      const key = `${mode.name} ${close ? 'new connection per request' : 'keep-alive'}`;
      const r = wrk(orion.port, close);
      const list = results.get(key) ?? [];
      list.push(r);
      results.set(key, list);
      console.log(`round ${round} ${key}: ${r.rps.toFixed(0)} rps, busiest worker ${(r.busiest * 100).toFixed(0)} % of ${r.workers} worker(s), socket errors ${r.errors}`);
    }
    await orion.stop();
  }
}
console.log('\nmedian over rounds:');
for (const [key, list] of results) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${key.padEnd(42)} ${median(list.map((r) => r.rps)).toFixed(0).padStart(7)} rps   busiest worker ${(median(list.map((r) => r.busiest)) * 100).toFixed(0)} %`);
}
rmSync(dir, { recursive: true, force: true });
