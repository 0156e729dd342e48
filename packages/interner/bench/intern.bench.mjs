// Micro-benchmark: intern() of strings the interner already knows, against a plain Map.get baseline
// measured in the same run. Samples of each candidate are interleaved, so machine noise hits both
// alike; the ratio of medians is the number to compare, not the absolute times.
//
//   pnpm --filter @orion/interner bench        (builds, then runs this file against dist/)
import { Buffer } from 'node:buffer';
import { createInterner } from '../dist/index.js';

const NAMES = 1_000;
const OPS = 2_000_000;
const SAMPLES = 15;

const names = Array.from({ length: NAMES }, (_, i) => `outbound|${8000 + (i % 100)}||svc-${i}.default.svc.cluster.local`);
// The keys looked up are separate string objects with the same content, as names parsed from a
// request or a config update would be.
const keys = names.map((name) => Buffer.from(name, 'utf8').toString('utf8'));

const baseline = new Map(names.map((name, i) => [name, i]));
// A Map holding { id, value } records: the same lookup plus the dereference intern() pays for
// returning a record, to tell the cost of the record apart from the cost of the interner.
const records = new Map(names.map((name, i) => [name, { id: i, value: name }]));
const interner = createInterner();
for (const name of names) interner.intern(name);

const candidates = {
  'Map.get (baseline)': () => {
    let sum = 0;
    for (let i = 0; i < OPS; i++) sum += baseline.get(keys[i % NAMES]);
    return sum;
  },
  'Map.get(s).id (records)': () => {
    let sum = 0;
    for (let i = 0; i < OPS; i++) sum += records.get(keys[i % NAMES]).id;
    return sum;
  },
  'interner.intern(s).id': () => {
    let sum = 0;
    for (let i = 0; i < OPS; i++) sum += interner.intern(keys[i % NAMES]).id;
    return sum;
  },
  'interner.id(s)': () => {
    let sum = 0;
    for (let i = 0; i < OPS; i++) sum += interner.id(keys[i % NAMES]);
    return sum;
  },
};

const expected = candidates['Map.get (baseline)']();
const samples = Object.fromEntries(Object.keys(candidates).map((name) => [name, []]));
// One untimed pass per candidate lets the JIT settle before anything is measured.
for (const run of Object.values(candidates)) run();
for (let s = 0; s < SAMPLES; s++) {
  for (const [name, run] of Object.entries(candidates)) {
    const start = process.hrtime.bigint();
    const result = run();
    const elapsed = Number(process.hrtime.bigint() - start);
    if (result !== expected) throw new Error(`${name} computed ${result}, expected ${expected}`);
    samples[name].push(elapsed / OPS);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const base = median(samples['Map.get (baseline)']);
console.log(`@orion/interner: ${NAMES} known strings, ${OPS.toLocaleString('en')} lookups per sample, median of ${SAMPLES} interleaved samples`);
for (const name of Object.keys(candidates)) {
  const ns = median(samples[name]);
  console.log(`${name.padEnd(26)} ${ns.toFixed(2).padStart(7)} ns/op   ${(ns / base).toFixed(2)}× baseline`);
}
