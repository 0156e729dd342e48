// Access-log formatting benchmark: `pnpm --filter @orion/format bench` (builds first, then runs this file).
// Renders Istio's default text format and Envoy's default format into a reused Buffer, one line per request,
// timestamps advancing 1 ms per line, 10 request headers per request, after a warm-up; and the same Istio lines
// with a naive String.prototype.replace template in the same run, for comparison.
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { ENVOY_DEFAULT_FORMAT, ISTIO_DEFAULT_TEXT_FORMAT, LogFormatter } from '../dist/index.js';

const WARMUP_LINES = 300_000;
const MIN_MEASURE_MS = 2_000;
const BATCH = 100_000;
const BUFFER_SIZE = 1 << 20;

const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'curl/8.5.0',
  'grpc-go/1.64.0',
  'okhttp/4.12.0',
];
const PATHS = ['/api/v1/orders?limit=50&cursor=abc123', '/healthz', '/api/v2/users/42/profile', '/static/app.3f9a1c.js'];

/** A pool of realistic contexts; each render advances its start time by 1 ms. */
function makeContexts(count) {
  const contexts = [];
  for (let i = 0; i < count; i++) {
    contexts.push({
      startTime: 0,
      requestHeaders: {
        ':method': i % 5 === 0 ? 'POST' : 'GET',
        ':path': PATHS[i % PATHS.length],
        ':authority': 'orders.shop.svc.cluster.local:8080',
        ':scheme': 'http',
        'user-agent': USER_AGENTS[i % USER_AGENTS.length],
        'x-request-id': `5f1e8a2c-3b7d-4e9a-9c1f-${String(100000000000 + i).padStart(12, '0')}`,
        'x-forwarded-for': `10.12.${i % 256}.${(i * 7) % 256}`,
        'x-forwarded-proto': 'https',
        accept: 'application/json',
        'accept-encoding': 'gzip, deflate, br',
        'x-b3-traceid': '80f198ee56343ba864fe8b2a57d3eff7',
      },
      responseHeaders: { ':status': '200', 'content-type': 'application/json', 'x-envoy-upstream-service-time': String(3 + (i % 40)) },
      protocol: i % 3 === 0 ? 'HTTP/2' : 'HTTP/1.1',
      responseCode: i % 17 === 0 ? 503 : 200,
      responseCodeDetails: i % 17 === 0 ? 'upstream_reset_before_response_started{connection_failure}' : 'via_upstream',
      responseFlags: i % 17 === 0 ? 1 << 5 : 0,
      bytesReceived: 120 + i,
      bytesSent: 2048 + 3 * i,
      durationNs: (4 + (i % 50)) * 1_000_000 + 123_456,
      upstreamHost: { address: `10.44.${i % 8}.${20 + (i % 30)}`, port: 8080 },
      upstreamClusterName: 'outbound|8080||orders.shop.svc.cluster.local',
      upstreamLocalAddress: { address: '10.44.1.7', port: 40000 + (i % 20000) },
      downstreamLocalAddress: { address: '10.44.1.7', port: 15006 },
      downstreamRemoteAddress: { address: `10.12.${i % 256}.${(i * 7) % 256}`, port: 50000 + (i % 10000) },
      requestedServerName: i % 2 === 0 ? 'outbound_.8080_._.orders.shop.svc.cluster.local' : undefined,
      routeName: 'default',
    });
  }
  return contexts;
}

const START = Date.UTC(2026, 10, 26, 8, 0, 0, 0);

/** Runs `renderLine(ctx, buf, offset) → bytes` for at least MIN_MEASURE_MS after a warm-up; returns lines/s. */
function measure(label, renderInto) {
  const contexts = makeContexts(256);
  const buf = Buffer.allocUnsafe(BUFFER_SIZE);
  let offset = 0;
  let now = START;
  let bytes = 0;
  const run = (lines) => {
    for (let i = 0; i < lines; i++) {
      const ctx = contexts[i & 255];
      ctx.startTime = now++;
      let n = renderInto(ctx, buf, offset);
      if (n < 0) {
        offset = 0; // "flush"
        n = renderInto(ctx, buf, offset);
      }
      offset += n;
      bytes += n;
      if (offset > BUFFER_SIZE - 4096) offset = 0;
    }
  };
  run(WARMUP_LINES);
  bytes = 0;
  let lines = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < MIN_MEASURE_MS) {
    run(BATCH);
    lines += BATCH;
    elapsed = performance.now() - t0;
  }
  const cpu = process.cpuUsage(cpu0);
  // Lines per CPU-second of this process (user + system, GC threads included): what one core does, and stable
  // when other processes share the machine. Wall-clock rate shown alongside.
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const perCpuSecond = (lines / cpuMs) * 1000;
  const perWallSecond = (lines / elapsed) * 1000;
  const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(11);
  console.log(`${label.padEnd(40)} ${fmt(perCpuSecond)} lines/CPU-s ${fmt(perWallSecond)} lines/wall-s  ${(bytes / lines).toFixed(0)} B/line`);
  return perCpuSecond;
}

/** The naive reference: the template re-scanned with String.prototype.replace for every line. */
function naiveFormatter(template) {
  const pattern = /%([A-Z0-9_]+)(?:\(([^)]*)\))?(?::(\d+))?%/g;
  const header = (headers, param) => {
    const [main, alt] = param.toLowerCase().split('?');
    const v = headers[main] ?? (alt === undefined ? undefined : headers[alt]);
    return v;
  };
  const addr = (a) => (a === undefined ? undefined : `${a.address}:${a.port}`);
  return (ctx) =>
    template.replace(pattern, (_, name, param) => {
      let v;
      switch (name) {
        case 'START_TIME': v = new Date(ctx.startTime).toISOString(); break;
        case 'REQ': v = header(ctx.requestHeaders, param); break;
        case 'RESP': v = header(ctx.responseHeaders, param); break;
        case 'PROTOCOL': v = ctx.protocol; break;
        case 'RESPONSE_CODE': v = ctx.responseCode ?? 0; break;
        case 'RESPONSE_FLAGS': v = ctx.responseFlags ? 'UF' : '-'; break;
        case 'RESPONSE_CODE_DETAILS': v = ctx.responseCodeDetails?.replace(/\s/g, '_'); break;
        case 'CONNECTION_TERMINATION_DETAILS': v = ctx.connectionTerminationDetails; break;
        case 'UPSTREAM_TRANSPORT_FAILURE_REASON': v = ctx.upstreamTransportFailureReason; break;
        case 'BYTES_RECEIVED': v = ctx.bytesReceived ?? 0; break;
        case 'BYTES_SENT': v = ctx.bytesSent ?? 0; break;
        case 'DURATION': v = Math.trunc(ctx.durationNs / 1e6); break;
        case 'UPSTREAM_HOST': v = addr(ctx.upstreamHost); break;
        case 'UPSTREAM_CLUSTER_RAW': v = ctx.upstreamClusterName; break;
        case 'UPSTREAM_LOCAL_ADDRESS': v = addr(ctx.upstreamLocalAddress); break;
        case 'DOWNSTREAM_LOCAL_ADDRESS': v = addr(ctx.downstreamLocalAddress); break;
        case 'DOWNSTREAM_REMOTE_ADDRESS': v = addr(ctx.downstreamRemoteAddress); break;
        case 'REQUESTED_SERVER_NAME': v = ctx.requestedServerName; break;
        case 'ROUTE_NAME': v = ctx.routeName; break;
        default: v = undefined;
      }
      return v === undefined || v === '' ? '-' : String(v);
    });
}

const istio = LogFormatter.text(ISTIO_DEFAULT_TEXT_FORMAT).createLocal();
const envoy = LogFormatter.text(ENVOY_DEFAULT_FORMAT).createLocal();
const naive = naiveFormatter(ISTIO_DEFAULT_TEXT_FORMAT);

// The naive reference must produce the same lines, or the comparison means nothing.
{
  const [ctx] = makeContexts(1);
  ctx.startTime = START;
  const a = istio.render(ctx);
  const b = naive(ctx);
  if (a !== b) {
    console.error(`naive reference differs:\n  ${JSON.stringify(a)}\n  ${JSON.stringify(b)}`);
    process.exit(1);
  }
  console.log(`sample: ${a.trimEnd()}`);
}

console.log(`node ${process.version}, ${WARMUP_LINES} warm-up lines, >= ${MIN_MEASURE_MS} ms each\n`);
const istioRate = measure('@orion/format  Istio default  → Buffer', (ctx, buf, off) => istio.renderInto(ctx, buf, off));
const envoyRate = measure('@orion/format  Envoy default  → Buffer', (ctx, buf, off) => envoy.renderInto(ctx, buf, off));
const naiveRate = measure('naive replace  Istio default  → Buffer', (ctx, buf, off) => {
  const line = naive(ctx);
  if (line.length > buf.length - off) return -1;
  return buf.write(line, off, 'utf8');
});
const ratio = istioRate / naiveRate;
console.log(`\nIstio default:  ${Math.round(istioRate).toLocaleString('en-US')} lines/s on one core`);
console.log(`Envoy default:  ${Math.round(envoyRate).toLocaleString('en-US')} lines/s on one core`);
console.log(`naive reference: ${Math.round(naiveRate).toLocaleString('en-US')} lines/s; Istio / naive = ${ratio.toFixed(1)}x`);
console.log(`bar (>= 700,000 Istio lines/s and >= 5x naive): ${istioRate >= 700_000 && ratio >= 5 ? 'met' : 'NOT met'}`);
