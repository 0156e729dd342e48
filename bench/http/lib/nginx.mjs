// nginx configurations of the benchmark: the origin (12-byte and 1 MiB responses) and nginx as the reverse proxy
// under test. Each instance gets its own prefix directory (config, pid, logs, temp paths) under the run's temp dir.
import { Buffer } from 'node:buffer';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess } from './processes.mjs';

/** The origin's small response: 12 bytes. */
export const HELLO_BODY = 'hello world\n';
/** The origin's large response size. */
export const LARGE_BODY_BYTES = 1024 * 1024;
/** The paths wrk asks for. */
export const HELLO_PATH = '/hello';
export const LARGE_PATH = '/1m';

/**
 * The nine routes in front of the catch-all in both Orion's and nginx's route table, so that every benchmark
 * request is matched by the tenth. A mix of what route tables hold: prefixes, exact paths, a regex.
 */
export const DECOY_ROUTES = [
  { prefix: '/api/v1/users' },
  { prefix: '/api/v1/orders' },
  { prefix: '/api/v1/payments' },
  { prefix: '/api/v2/' },
  { prefix: '/static/' },
  { prefix: '/admin' },
  { path: '/healthz' },
  { path: '/readyz' },
  { regex: '^/items/[0-9]+$' },
];

function common(dir) {
  return `daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile 8192;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
`;
}

function tempPaths(dir) {
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((p) => `  ${p}_temp_path ${dir}/${p}_temp;`).join('\n');
}

function prepare(dir) {
  mkdirSync(join(dir, 'www'), { recursive: true });
  // Workers run as nobody when the master is root: let them read the prefix.
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'www'), 0o755);
}

/** Writes the origin's configuration: `/hello` → 12 bytes, `/1m` → a 1 MiB file; HTTP/1.1 on `port`, h2c on `h2cPort`. */
export function writeOriginConfig(dir, { port, h2cPort }) {
  prepare(dir);
  const file = join(dir, 'www', LARGE_PATH.slice(1));
  writeFileSync(file, Buffer.alloc(LARGE_BODY_BYTES, 'x'));
  chmodSync(file, 0o644);
  const conf = `${common(dir)}
http {
  access_log off;
${tempPaths(dir)}
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 3600s;
  server {
    listen 127.0.0.1:${port};
    listen 127.0.0.1:${h2cPort} http2;
    location = ${HELLO_PATH} { default_type text/plain; return 200 "${HELLO_BODY.replace('\n', '\\n')}"; }
    location = ${LARGE_PATH} { root ${dir}/www; default_type application/octet-stream; }
    location / { return 404; }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  return join(dir, 'nginx.conf');
}

function nginxLocation(route) {
  if (route.prefix !== undefined) return `location ${route.prefix}`;
  if (route.path !== undefined) return `location = ${route.path}`;
  return `location ~ ${route.regex}`;
}

/**
 * Writes nginx-as-proxy: one worker, the same ten-route table, upstream keep-alive, a request id header
 * (`$request_id`, like Orion's generate_request_id), and the combined access log to a file with a 64 KiB buffer
 * flushed every second (Orion's and Envoy's file loggers batch the same way). `proxy_buffering off` so that
 * 1 MiB bodies stream instead of going through temp files.
 */
export function writeProxyConfig(dir, { port, h2cPort, originPort }) {
  prepare(dir);
  const locations = DECOY_ROUTES.map((r) => `    ${nginxLocation(r)} { proxy_pass http://origin; }`).join('\n');
  const conf = `${common(dir)}
http {
  access_log ${dir}/access.log combined buffer=64k flush=1s;
${tempPaths(dir)}
  keepalive_requests 1000000;
  keepalive_timeout 3600s;
  upstream origin {
    server 127.0.0.1:${originPort};
    keepalive 256;
    keepalive_requests 1000000;
    keepalive_timeout 3600s;
  }
  proxy_http_version 1.1;
  proxy_buffering off;
  proxy_set_header Connection "";
  proxy_set_header Host $host;
  proxy_set_header X-Request-ID $request_id;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto $scheme;
  server {
    listen 127.0.0.1:${port};
    listen 127.0.0.1:${h2cPort} http2;
${locations}
    location / { proxy_pass http://origin; }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  return join(dir, 'nginx.conf');
}

/** Starts nginx with the configuration in `dir` and waits until it answers `probePort`. */
export function startNginx(name, dir, { cpu }) {
  return startProcess(name, 'nginx', ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { cpu });
}
