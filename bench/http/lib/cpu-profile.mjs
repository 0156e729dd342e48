// Summaries of a V8 .cpuprofile (node --cpu-prof): self time by area, by source file and by function, and inclusive
// time of Orion's own functions, restricted to a time window (the measured load, not start-up) and mapped through
// the packages' source maps from dist/*.js back to src/*.ts.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const maps = new Map();

function sourceMapFor(file) {
  if (maps.has(file)) return maps.get(file);
  let map;
  const mapFile = `${file}.map`;
  if (existsSync(mapFile)) {
    try {
      map = { map: new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))), dir: dirname(file) };
    } catch {
      map = undefined;
    }
  }
  maps.set(file, map);
  return map;
}

/** Where a call frame's code comes from: `{ file, line, area }`, with dist code mapped back to its source. */
function locate(frame, root) {
  const { url, functionName, lineNumber, columnNumber } = frame;
  if (url === '') {
    if (functionName.startsWith('(')) return { file: functionName, line: 0, area: functionName };
    return { file: '(native)', line: 0, area: '(native C++/builtins)' };
  }
  if (url.startsWith('node:')) {
    const mod = url.slice(5);
    let area = 'node: other internals';
    if (/^(_http_|internal\/http|http$)/.test(mod) || mod.startsWith('internal/http')) area = 'node: http (server/response/parser glue)';
    else if (mod.startsWith('internal/streams') || mod === 'stream') area = 'node: streams';
    else if (/^(net|internal\/stream_base_commons|internal\/net)/.test(mod)) area = 'node: net / stream_base';
    else if (/^(events|internal\/event_target|internal\/process\/task_queues|internal\/timers|timers)/.test(mod)) area = 'node: events, ticks, timers';
    else if (/^internal\/(fs|url)|^fs|^buffer|^internal\/buffer/.test(mod)) area = 'node: fs / buffer';
    return { file: url, line: lineNumber + 1, area };
  }
  // The only WebAssembly in these processes is undici's llhttp.
  if (url.startsWith('wasm:')) return { file: 'undici llhttp (wasm)', line: 0, area: 'npm: undici' };
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length);
    const pkg = rest.startsWith('@') ? rest.split('/').slice(0, 2).join('/') : rest.split('/')[0];
    return { file: rest, line: lineNumber + 1, area: `npm: ${pkg}` };
  }
  const sm = sourceMapFor(path);
  if (sm !== undefined) {
    const entry = sm.map.findEntry(lineNumber, columnNumber);
    if (entry !== undefined && entry.originalSource !== undefined) {
      const src = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(sm.dir, entry.originalSource);
      const rel = repoRelative(root, src);
      return { file: rel, line: (entry.originalLine ?? 0) + 1, area: areaOfRepoFile(rel) };
    }
  }
  const rel = repoRelative(root, path);
  return { file: rel, line: lineNumber + 1, area: areaOfRepoFile(rel) };
}

function areaOfRepoFile(rel) {
  const m = /^packages\/([^/]+)\//.exec(rel);
  if (m !== null) return `orion: @orion/${m[1]}`;
  if (rel.startsWith('bench/')) return 'bench';
  return 'other';
}

/** Repository-relative path of `file`; a file of another checkout (an A/B copy) is shown from its `packages/`. */
function repoRelative(root, file) {
  const rel = relative(root, file);
  if (!rel.startsWith('..')) return rel;
  const m = /\/(packages\/[^/]+\/.*)$/.exec(file);
  return m === null ? file : m[1];
}

/**
 * Summarises `profileFile` over `[fromUs, toUs]` (the profile's monotonic clock, which is process.hrtime's).
 * Returns totals and sorted lists; `requests` (served in the window) turns times into µs per request.
 */
export function summariseProfile(profileFile, { fromUs, toUs, root, requests }) {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const where = new Map();
  const locOf = (id) => {
    let l = where.get(id);
    if (l === undefined) {
      const frame = nodes.get(id).callFrame;
      const loc = locate(frame, root);
      const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
      l = { ...loc, fn: name, key: `${name} ${loc.file}:${loc.line}` };
      where.set(id, l);
    }
    return l;
  };

  const self = { fn: new Map(), file: new Map(), area: new Map() };
  const inclusive = new Map();
  const add = (map, key, us, extra) => {
    const e = map.get(key);
    if (e === undefined) map.set(key, { key, us, ...extra });
    else e.us += us;
  };
  let t = profile.startTime;
  let windowUs = 0;
  let idleUs = 0;
  const samples = profile.samples;
  const deltas = profile.timeDeltas;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i];
    if (t < fromUs || t > toUs) continue;
    const us = i + 1 < deltas.length ? deltas[i + 1] : 0;
    windowUs += us;
    const loc = locOf(samples[i]);
    if (loc.file === '(idle)') {
      idleUs += us;
      continue;
    }
    add(self.fn, loc.key, us, { fn: loc.fn, file: loc.file, line: loc.line, area: loc.area });
    add(self.file, loc.file, us, { area: loc.area });
    add(self.area, loc.area, us, {});
    // Inclusive time of repository functions: each function once per sample, however deep the recursion.
    const seen = new Set();
    for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
      const l = locOf(id);
      if (!(l.area.startsWith('orion:') || l.area === 'bench') || seen.has(l.key)) continue;
      seen.add(l.key);
      add(inclusive, l.key, us, { fn: l.fn, file: l.file, line: l.line });
    }
  }
  const sorted = (map) => [...map.values()].sort((a, b) => b.us - a.us);
  return {
    windowUs,
    idleUs,
    busyUs: windowUs - idleUs,
    requests,
    byArea: sorted(self.area),
    byFile: sorted(self.file),
    byFunction: sorted(self.fn),
    inclusive: sorted(inclusive),
  };
}

/** The default repository root (two levels above bench/http/lib). */
export const REPO_ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../../..');
