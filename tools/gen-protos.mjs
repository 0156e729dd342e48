#!/usr/bin/env node
// Generates TypeScript for Envoy's v3 protos into packages/data-plane-api/src/gen.
// Sources: the proto trees @grpc/grpc-js-xds ships under deps/ (envoy-api, xds + udpa,
// protoc-gen-validate, googleapis) and Orion's own protos under proto/. Runs offline; the output is
// gitignored and cached by the nx `gen` target.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = path.join(repo, 'packages/data-plane-api');
const require = createRequire(path.join(pkg, 'package.json'));
const deps = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
const stage = path.join(pkg, '.proto-build');
const out = path.join(pkg, 'src/gen');

/** Envoy files excluded because their imports are not shipped (see docs/architecture.md). */
const EXCLUDED = [
  /\/v2(alpha\d*)?\//,
  /\/v\dalpha\//,
  /^envoy\/config\/trace\/v3\/(opencensus|trace)\.proto$/,
  /^envoy\/extensions\/access_loggers\/open_telemetry\/v3\/logs_service\.proto$/,
  /^envoy\/service\/metrics\/v3\//,
  /^envoy\/service\/trace\/v3\//,
];

function walk(dir, base = dir, acc = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, base, acc);
    else if (entry.name.endsWith('.proto')) acc.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return acc;
}

function copy(fromRoot, rel) {
  const dest = path.join(stage, rel);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(path.join(fromRoot, rel), dest);
}

fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });

const envoyRoot = path.join(deps, 'envoy-api');
const envoy = walk(envoyRoot).filter((f) => (f.startsWith('envoy/annotations/') || (f.startsWith('envoy/') && /\/v3\//.test(f))) && !EXCLUDED.some((re) => re.test(f)));
for (const f of envoy) copy(envoyRoot, f);
for (const f of walk(path.join(deps, 'xds'))) copy(path.join(deps, 'xds'), f);
const googleRoot = path.join(deps, 'googleapis');
for (const f of walk(googleRoot).filter((p) => p.startsWith('google/rpc/') || p.startsWith('google/api/'))) copy(googleRoot, f);
copy(path.join(deps, 'protoc-gen-validate'), 'validate/validate.proto');

// The shipped PGV validate.proto predates StringRules.ignore_empty (field 26), which Envoy uses.
const validate = path.join(stage, 'validate/validate.proto');
const text = fs.readFileSync(validate, 'utf8');
if (!/ignore_empty\s*=\s*26/.test(text)) {
  const patched = text.replace(/message StringRules \{/, 'message StringRules {\n    optional bool ignore_empty = 26;');
  if (patched === text) throw new Error('gen-protos: could not patch validate.StringRules');
  fs.writeFileSync(validate, patched);
}

// Orion's own protos and the buf configuration.
for (const f of walk(path.join(repo, 'proto'))) copy(path.join(repo, 'proto'), f);
fs.copyFileSync(path.join(repo, 'proto/buf.yaml'), path.join(stage, 'buf.yaml'));
fs.copyFileSync(path.join(repo, 'proto/buf.gen.yaml'), path.join(stage, 'buf.gen.yaml'));

const bin = (name) => path.join(pkg, 'node_modules/.bin', name);
const targets = ['envoy', ...walk(path.join(repo, 'proto')).map((f) => f)];
fs.rmSync(out, { recursive: true, force: true });
const args = ['generate', '--template', 'buf.gen.yaml', '-o', '..', ...targets.flatMap((t) => ['--path', t])];
execFileSync(bin('buf'), args, {
  cwd: stage,
  stdio: 'inherit',
  env: { ...process.env, PATH: `${path.dirname(bin('protoc-gen-es'))}${path.delimiter}${process.env.PATH}` },
});
fs.renameSync(path.join(pkg, 'gen'), out);
fs.rmSync(stage, { recursive: true, force: true });
console.log(`gen-protos: ${envoy.length} Envoy protos → ${path.relative(repo, out)} (${walk(out, out, []).length} files)`);
