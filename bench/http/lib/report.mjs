// Tables and ratios of the HTTP benchmark (Markdown, so a run's output can go into the README as it is).

/** Median of finite numbers (NaN when there are none). */
export function median(values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function fmtRate(n) {
  if (!Number.isFinite(n)) return '–';
  return n >= 1000 ? `${(n / 1000).toFixed(1)} k` : n.toFixed(0);
}

export function fmtMs(seconds) {
  return Number.isFinite(seconds) ? `${(seconds * 1000).toFixed(2)} ms` : '–';
}

export function fmtPct(share) {
  return Number.isFinite(share) ? `${(share * 100).toFixed(0)} %` : '–';
}

export function fmtMiB(bytes) {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(0)} MiB` : '–';
}

export function fmtRatio(r) {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : '–';
}

/** Renders rows (arrays of cells) under `header` as a Markdown table. */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * Summarises the samples of one target (one per round): medians of each figure, and the per-round rps/core for
 * the eye.
 */
export function summarise(samples) {
  const m = (k) => median(samples.map((s) => s[k]));
  return {
    rounds: samples.length,
    rps: m('rps'),
    bytesPerSecond: m('bytesPerSecond'),
    cpuShare: m('cpuShare'),
    rpsPerCore: m('rpsPerCore'),
    p50: m('p50'),
    p99: m('p99'),
    mean: m('mean'),
    max: m('max'),
    rss: Math.max(...samples.map((s) => s.rss)),
    errors: samples.reduce((a, s) => a + s.errors, 0),
    coreBusyShare: m('coreBusyShare'),
    softirqShare: m('softirqShare'),
    perRound: samples.map((s) => s.rpsPerCore),
  };
}

/**
 * Ratios a/b of rps per core and of rps, computed round by round (the two ran next to each other) and then
 * the median over rounds.
 */
export function ratio(samplesA, samplesB) {
  const n = Math.min(samplesA.length, samplesB.length);
  const perCore = [];
  const rps = [];
  for (let i = 0; i < n; i++) {
    perCore.push(samplesA[i].rpsPerCore / samplesB[i].rpsPerCore);
    rps.push(samplesA[i].rps / samplesB[i].rps);
  }
  return { perCore: median(perCore), rps: median(rps), perCoreRounds: perCore };
}
