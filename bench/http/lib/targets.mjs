// The processes under test, each pinned to the proxy CPU: the origin served directly (a second nginx instance with
// the origin's configuration), nginx as a proxy, the minimal node:http + undici proxy, and Orion.
import { Buffer } from 'node:buffer';
import { get } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELLO_BODY, HELLO_PATH, startNginx, writeOriginConfig, writeProxyConfig } from './nginx.mjs';
import { writeOrionConfig } from './orion-config.mjs';
import { freePort, sleep, startProcess } from './processes.mjs';

const MINIMAL_PROXY = fileURLToPath(new URL('../minimal-proxy.mjs', import.meta.url));

/** GETs `url`; resolves with status and body (bounded by `timeoutMs`). */
export function fetchOnce(url, timeoutMs = 5_000) {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

/** Polls `url` until it answers 200 with the 12-byte body, or fails after `timeoutMs`. */
export async function waitUntilServing(url, handle, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    if (handle.exitCode !== undefined) throw new Error(`${handle.name} exited (${handle.exitCode}):\n${handle.lines.slice(-20).join('\n')}`);
    try {
      const r = await fetchOnce(url, 2_000);
      if (r.status === 200 && r.body.toString() === HELLO_BODY) return r;
      last = new Error(`${url}: status ${r.status}, body ${JSON.stringify(r.body.toString().slice(0, 80))}`);
    } catch (err) {
      last = err;
    }
    await sleep(100);
  }
  throw new Error(`${handle.name} is not serving ${url}: ${last?.message}\n${handle.lines.slice(-20).join('\n')}`);
}

/** Starts the shared origin (pinned to the load CPU, next to wrk). */
export async function startOrigin(tmp, { cpu }) {
  const dir = join(tmp, 'origin');
  const port = await freePort();
  const h2cPort = await freePort();
  writeOriginConfig(dir, { port, h2cPort });
  const handle = startNginx('origin nginx', dir, { cpu });
  await waitUntilServing(`http://127.0.0.1:${port}${HELLO_PATH}`, handle);
  return { handle, port, h2cPort };
}

/**
 * Starts every target; returns them in table order. `orionBuilds` is a list of `{ key, label, cli, statsOff?,
 * http1Only? }` (the repository's build first; more for A/B runs of prototypes, and the same build with
 * `stats_matcher: { reject_all: true }` when `statsOff`). `http1Only` is copied onto the target: the h2c and 1 MiB
 * parts leave it out.
 */
export async function startTargets(tmp, origin, { cpu, only, orionBuilds, orionArgs }) {
  const want = (key) => only === undefined || only.includes(key);
  const targets = [];

  if (want('origin')) {
    const dir = join(tmp, 'origin-direct');
    const port = await freePort();
    const h2cPort = await freePort();
    writeOriginConfig(dir, { port, h2cPort });
    const handle = startNginx('origin (direct) nginx', dir, { cpu });
    targets.push({ key: 'origin', label: 'origin direct (nginx)', handle, url: `http://127.0.0.1:${port}`, h2c: { handle, url: `http://127.0.0.1:${h2cPort}` } });
  }
  if (want('nginx')) {
    const dir = join(tmp, 'nginx-proxy');
    const port = await freePort();
    const h2cPort = await freePort();
    writeProxyConfig(dir, { port, h2cPort, originPort: origin.port });
    const handle = startNginx('nginx proxy', dir, { cpu });
    targets.push({
      key: 'nginx',
      label: 'nginx proxy (1 worker)',
      handle,
      url: `http://127.0.0.1:${port}`,
      h2c: { handle, url: `http://127.0.0.1:${h2cPort}` },
      accessLog: join(dir, 'access.log'),
    });
  }
  if (want('node')) {
    const originUrl = `http://127.0.0.1:${origin.port}`;
    const handle = startProcess('minimal node proxy', process.execPath, [MINIMAL_PROXY, '--origin', originUrl], { cpu });
    const h2Handle = startProcess('minimal node h2c proxy', process.execPath, [MINIMAL_PROXY, '--origin', originUrl, '--h2c'], { cpu });
    const [, port] = await handle.waitFor(/^listening (\d+)/);
    const [, h2cPort] = await h2Handle.waitFor(/^listening (\d+)/);
    targets.push({
      key: 'node',
      label: 'minimal node:http + undici',
      handle,
      url: `http://127.0.0.1:${port}`,
      h2c: { handle: h2Handle, url: `http://127.0.0.1:${h2cPort}` },
    });
  }
  for (const build of orionBuilds) {
    if (!want(build.key)) continue;
    const dir = join(tmp, build.key);
    mkdirSync(dir, { recursive: true });
    const accessLog = join(dir, 'access.log');
    const config = writeOrionConfig(dir, { originPort: origin.port, accessLogPath: accessLog, statsOff: build.statsOff === true });
    const handle = startProcess(build.label, process.execPath, [...orionArgs, build.cli, '-c', config, '--concurrency', '1'], { cpu });
    const [, port] = await handle.waitFor(/listener listener_bench listening on 127\.0\.0\.1:(\d+)/, 30_000);
    await handle.waitFor(/orion: ready/, 30_000);
    const url = `http://127.0.0.1:${port}`;
    targets.push({ key: build.key, label: build.label, handle, url, h2c: { handle, url }, accessLog, http1Only: build.http1Only === true });
  }
  for (const t of targets) await waitUntilServing(`${t.url}${HELLO_PATH}`, t.handle);
  return targets;
}
