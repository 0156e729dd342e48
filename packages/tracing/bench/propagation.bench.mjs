// Micro-benchmark: the connection manager's per-request propagation step (extract, child context,
// inject) for each format, on a Map standing in for the request's headers (a fresh Map and fresh
// accessor closures per request, as a connection manager would make). The baseline is building
// that Map and a span id, the cost every format pays anyway; samples are interleaved.
//
//   pnpm --filter @orion/tracing bench        (builds, then runs this file against dist/)
import { createTracePropagator, decideRequestId, decideTraceReason, generateSpanId } from '../dist/index.js';

const OPS = 200_000;
const SAMPLES = 11;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

const requests = {
  w3c: { traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7' },
  b3Single: { b3: `${TRACE}-${SPAN}-1` },
  b3Multi: { 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN, 'x-b3-sampled': '1' },
  jaeger: { 'uber-trace-id': `${TRACE}:${SPAN}:0:1` },
  none: {},
};
const common = [['host', 'example.com'], ['user-agent', 'bench'], ['accept', '*/*'], ['x-forwarded-for', '10.0.0.1']];

const propagator = createTracePropagator();

function propagateRun(init) {
  const entries = [...common, ...Object.entries(init)];
  return () => {
    let sum = 0;
    for (let i = 0; i < OPS; i++) {
      const headers = new Map(entries);
      const context = propagator.propagate(
        (name) => headers.get(name),
        (name, value) => {
          headers.set(name, value);
        },
        (name) => {
          headers.delete(name);
        },
        true,
      );
      sum += context.spanId.length;
    }
    return sum;
  };
}

const candidates = {
  'new Map + generateSpanId() (baseline)': () => {
    let sum = 0;
    for (let i = 0; i < OPS; i++) sum += generateSpanId().length + new Map(common).size;
    return sum;
  },
  ...Object.fromEntries(Object.entries(requests).map(([name, init]) => [`propagate ${name}`, propagateRun(init)])),
  'decideRequestId + decideTraceReason': () => {
    let sum = 0;
    for (let i = 0; i < OPS; i++) {
      const id = decideRequestId({ incoming: undefined, edgeRequest: true }).id;
      sum += decideTraceReason({ requestId: id, clientTraceId: false, forceTrace: false }, { randomSampling: 1 }).requestId.length;
    }
    return sum;
  },
};

for (const run of Object.values(candidates)) run();
const samples = Object.fromEntries(Object.keys(candidates).map((name) => [name, []]));
for (let s = 0; s < SAMPLES; s++) {
  for (const [name, run] of Object.entries(candidates)) {
    const start = process.hrtime.bigint();
    if (run() <= 0) throw new Error(`${name} produced nothing`);
    samples[name].push(Number(process.hrtime.bigint() - start) / OPS);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const base = median(samples['new Map + generateSpanId() (baseline)']);
console.log(`@orion/tracing propagation: ${OPS.toLocaleString('en')} requests per sample, median of ${SAMPLES} interleaved samples`);
for (const name of Object.keys(candidates)) {
  const ns = median(samples[name]);
  console.log(`${name.padEnd(36)} ${ns.toFixed(1).padStart(7)} ns/op   ${(ns / base).toFixed(2)}× baseline`);
}
