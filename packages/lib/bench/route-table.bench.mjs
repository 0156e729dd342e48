// Micro-benchmark: CompiledRouteConfiguration.select() over a 10-route virtual host (prefix, exact path, safe_regex,
// header and query matchers, the matching route late in the list), per request shape. The baseline is a plain
// Map.get of the path without its query — what a trivial exact-path router costs. Samples are interleaved and the
// median is reported, since absolute numbers on shared machines swing by ±25 %.
//
//   node packages/lib/bench/route-table.bench.mjs
//
// The router and its workspace dependencies are bundled from their TypeScript sources first (with tsup, into
// node_modules/.cache, so nothing lands in the work tree); re2js stays an external dependency.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';

const OPS = 200_000;
const SAMPLES = 11;

const libRoot = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${libRoot}node_modules/.cache/orion-router-bench`;
await build({
  entry: { router: `${libRoot}src/http/router/index.ts` },
  outDir,
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: false,
  silent: true,
  config: false,
  noExternal: [/^@orion\//],
  esbuildOptions(options) {
    options.conditions = ['@orion/source'];
  },
});
const { compileRouteConfiguration } = await import(pathToFileURL(`${outDir}/router.js`).href);

const none = { requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [] };
const fwd = (name) => ({ type: 'forward', cluster: { type: 'cluster', name }, clusterNotFoundResponseCode: 503, appendXForwardedHost: false, timeoutMs: 15000, hashPolicies: [], upgradeConfigs: [] });
const m = (path, extra = {}) => ({ path, caseSensitive: true, headers: [], queryParameters: [], grpc: false, ...extra });
const r = (match, cluster) => ({ name: cluster, match, action: fwd(cluster), headerMutations: none });
const exact = (value) => ({ type: 'string', matcher: { type: 'exact', value, ignoreCase: false } });

const routes = [
  r(m({ type: 'path', path: '/healthz' }), 'health'),
  r(m({ type: 'prefix', prefix: '/api/v1/orders' }, { headers: [{ name: 'x-tenant', match: exact('blue'), invert: false, treatMissingHeaderAsEmpty: false }] }), 'orders-blue'),
  r(m({ type: 'prefix', prefix: '/api/v1/orders' }), 'orders'),
  r(m({ type: 'safeRegex', regex: '/api/v[0-9]+/users/[0-9]+' }), 'user'),
  r(m({ type: 'prefix', prefix: '/api/v1/users' }), 'users'),
  r(m({ type: 'pathSeparatedPrefix', prefix: '/static' }), 'static'),
  r(m({ type: 'prefix', prefix: '/search' }, { queryParameters: [{ name: 'debug', match: { type: 'present', present: true } }] }), 'search-debug'),
  r(m({ type: 'prefix', prefix: '/search' }), 'search'),
  r(m({ type: 'prefix', prefix: '/Admin' }, { caseSensitive: false }), 'admin'),
  r(m({ type: 'prefix', prefix: '/' }), 'default'),
];
const config = {
  name: 'bench',
  virtualHosts: [
    { name: 'other', domains: ['other.example', '*.other.example'], routes: [r(m({ type: 'prefix', prefix: '/' }), 'other')], headerMutations: none },
    { name: 'main', domains: ['shop.example', 'shop.example:8080', '*.shop.example'], routes, headerMutations: none },
    { name: 'fallback', domains: ['*'], routes: [r(m({ type: 'prefix', prefix: '/' }), 'fallback')], headerMutations: none },
  ],
  headerMutations: none,
  mostSpecificHeaderMutationsWins: false,
  ignorePortInHostMatching: false,
  validateClusters: false,
  maxDirectResponseBodySizeBytes: 4096,
};
const table = await compileRouteConfiguration(config, { stripPortMode: 'matching' });

function req(authority, path, headers = {}) {
  return { method: 'GET', authority, path, scheme: 'http', listenerPort: 80, getHeader: (name) => headers[name] };
}
const requests = {
  'exact path (1st route)': req('shop.example', '/healthz'),
  'prefix + header (2nd route)': req('shop.example', '/api/v1/orders/42', { 'x-tenant': 'blue' }),
  'safe_regex (4th route)': req('shop.example', '/api/v2/users/1234?fields=name'),
  'query present (7th route)': req('api.shop.example:80', '/search?q=shoes&debug'),
  'fall-through to 10th route': req('shop.example', '/checkout/cart'),
};
const check = (name, cluster) => {
  const got = table.select(requests[name])?.route.name;
  if (got !== cluster) throw new Error(`${name}: expected ${cluster}, got ${got}`);
};
check('exact path (1st route)', 'health');
check('prefix + header (2nd route)', 'orders-blue');
check('safe_regex (4th route)', 'user');
check('query present (7th route)', 'search-debug');
check('fall-through to 10th route', 'default');

const byPath = new Map(routes.map((route, i) => [route.match.path.path ?? route.match.path.prefix ?? route.match.path.regex, i]));
const baselineRequests = Object.values(requests);
const candidates = {
  'Map.get(path without query) (baseline)': () => {
    let hits = 0;
    for (let i = 0; i < OPS; i++) {
      const path = baselineRequests[i % baselineRequests.length].path;
      const q = path.indexOf('?');
      if (byPath.get(q < 0 ? path : path.slice(0, q)) !== undefined) hits++;
    }
    return hits;
  },
  ...Object.fromEntries(
    Object.entries(requests).map(([name, request]) => [
      `select: ${name}`,
      () => {
        let hits = 0;
        for (let i = 0; i < OPS; i++) if (table.select(request) !== undefined) hits++;
        return hits;
      },
    ]),
  ),
};

const samples = Object.fromEntries(Object.keys(candidates).map((name) => [name, []]));
let sink = 0;
for (const run of Object.values(candidates)) sink += run(); // warm-up
for (let s = 0; s < SAMPLES; s++) {
  for (const [name, run] of Object.entries(candidates)) {
    const start = process.hrtime.bigint();
    sink += run();
    samples[name].push(Number(process.hrtime.bigint() - start) / OPS);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const baseline = median(samples['Map.get(path without query) (baseline)']);
console.log(`route-table select, ${OPS} ops × ${SAMPLES} interleaved samples, median ns/op (node ${process.version})`);
for (const [name, xs] of Object.entries(samples)) {
  const ns = median(xs);
  console.log(`  ${name.padEnd(44)} ${ns.toFixed(1).padStart(8)} ns/op  ${(ns / baseline).toFixed(1).padStart(6)}× baseline`);
}
if (sink === 0) console.log('(no hits)');
