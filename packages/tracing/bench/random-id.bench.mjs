// Micro-benchmark: request-id and span-id generation against Node's own `crypto.randomUUID()`
// measured in the same run. Samples of each candidate are interleaved, so machine noise hits them
// alike; compare the ratios, not the absolute times. Each generated string is read once
// (charCodeAt) so that lazily concatenated strings pay for flattening, as a header write would.
//
//   pnpm --filter @orion/tracing bench        (builds, then runs this file against dist/)
import { randomBytes, randomUUID } from 'node:crypto';
import { generateSpanId, generateTraceId, generateUuid } from '../dist/index.js';

const OPS = 500_000;
const SAMPLES = 15;

const consume = (make) => () => {
  let sum = 0;
  for (let i = 0; i < OPS; i++) sum += make().charCodeAt(7);
  return sum > 0;
};

const candidates = {
  'crypto.randomUUID() (baseline)': consume(() => randomUUID()),
  'generateUuid()': consume(generateUuid),
  'generateSpanId()': consume(generateSpanId),
  'randomBytes(8).toString(hex)': consume(() => randomBytes(8).toString('hex')),
  'randomUUID() sliced to 16 hex': consume(() => randomUUID().replaceAll('-', '').slice(0, 16)),
  'generateTraceId()': consume(generateTraceId),
};

for (const run of Object.values(candidates)) run();
const samples = Object.fromEntries(Object.keys(candidates).map((name) => [name, []]));
for (let s = 0; s < SAMPLES; s++) {
  for (const [name, run] of Object.entries(candidates)) {
    const start = process.hrtime.bigint();
    if (!run()) throw new Error(`${name} produced nothing`);
    samples[name].push(Number(process.hrtime.bigint() - start) / OPS);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const base = median(samples['crypto.randomUUID() (baseline)']);
console.log(`@orion/tracing ids: ${OPS.toLocaleString('en')} ids per sample, median of ${SAMPLES} interleaved samples`);
for (const name of Object.keys(candidates)) {
  const ns = median(samples[name]);
  console.log(`${name.padEnd(32)} ${ns.toFixed(1).padStart(7)} ns/op   ${(ns / base).toFixed(2)}× baseline`);
}
