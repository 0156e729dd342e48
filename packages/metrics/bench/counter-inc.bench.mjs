// Micro-benchmark: recording into stat handles against a plain object property increment measured in the same run.
// Each request of the proxy bumps a handful of counters held as handles (no name lookup), so a counter increment
// should cost about what `stats.field += 1` on a plain object costs. Samples of each candidate are interleaved, so
// machine noise hits all alike; the ratio of medians is the number to compare, not the absolute times.
//
//   pnpm --filter @orion/metrics bench        (builds, then runs this file against dist/)
import { createStatsStore } from '../dist/index.js';

const OPS = 5_000_000;
const SAMPLES = 15;

const store = createStatsStore();
const total = store.counter('http.ingress_http.downstream_rq_total');
const xx2 = store.counter('http.ingress_http.downstream_rq_2xx');
const active = store.gauge('http.ingress_http.downstream_rq_active');
const time = store.histogram('http.ingress_http.downstream_rq_time');
const plain = { downstream_rq_total: 0, downstream_rq_2xx: 0, downstream_rq_active: 0 };
// What a lookup by name per request would cost: the pattern the store exists to avoid.
const names = ['downstream_rq_total', 'downstream_rq_2xx', 'downstream_rq_completed', 'downstream_cx_total'].map((n) => `http.ingress_http.${n}`);
const byName = new Map(names.map((name) => [name, { value: 0 }]));

const candidates = {
  'plain property += 1 (baseline)': () => {
    for (let i = 0; i < OPS; i++) plain.downstream_rq_total += 1;
    return plain.downstream_rq_total;
  },
  'counter.inc()': () => {
    for (let i = 0; i < OPS; i++) total.inc();
    return total.value;
  },
  'counter.inc(2)': () => {
    for (let i = 0; i < OPS; i++) xx2.inc(2);
    return xx2.value;
  },
  'gauge.inc() + gauge.dec()': () => {
    for (let i = 0; i < OPS; i++) {
      active.inc();
      active.dec();
    }
    return OPS + active.value;
  },
  'Map.get(name).value += 1': () => {
    for (let i = 0; i < OPS; i++) byName.get(names[i & 3]).value += 1;
    return byName.get(names[0]).value;
  },
  'histogram.record(ms)': () => {
    for (let i = 0; i < OPS; i++) time.record((i & 1023) + 0.5);
    return OPS;
  },
};

const sink = [];
// One untimed pass per candidate lets the JIT settle before anything is measured.
for (const run of Object.values(candidates)) sink.push(run());
const samples = Object.fromEntries(Object.keys(candidates).map((name) => [name, []]));
for (let s = 0; s < SAMPLES; s++) {
  for (const [name, run] of Object.entries(candidates)) {
    const start = process.hrtime.bigint();
    sink.push(run());
    const elapsed = Number(process.hrtime.bigint() - start);
    samples[name].push(elapsed / OPS);
  }
}
if (sink.some((v) => !(v > 0))) throw new Error('a candidate did no work');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const base = median(samples['plain property += 1 (baseline)']);
console.log(`@orion/metrics: ${OPS.toLocaleString('en')} operations per sample, median of ${SAMPLES} interleaved samples`);
for (const name of Object.keys(candidates)) {
  const ns = median(samples[name]);
  console.log(`${name.padEnd(32)} ${ns.toFixed(2).padStart(7)} ns/op   ${(ns / base).toFixed(2)}× baseline`);
}
