#!/usr/bin/env node
// The two commands of the README, for a machine that has only Node and npm:
//   npm start [-- <orion args>]   install, build, and run the `orion` proxy (embedded default config)
//   npm test                      install, then generate, build, typecheck, lint and test every project
// It uses the pinned pnpm when it is on PATH, and otherwise installs that exact version under .tools/.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).packageManager.replace(/^pnpm@/, '');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

function versionOf(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function findPnpm() {
  if (versionOf('pnpm') === pinned) return 'pnpm';
  const local = path.join(root, '.tools', 'pnpm', 'node_modules', '.bin', 'pnpm');
  if (existsSync(local) && versionOf(local) === pinned) return local;
  console.log(`› installing pnpm ${pinned} into .tools/pnpm`);
  execFileSync('npm', ['install', '--prefix', path.join(root, '.tools', 'pnpm'), '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `pnpm@${pinned}`], {
    stdio: 'inherit',
    env,
  });
  if (versionOf(local) !== pinned) throw new Error(`could not install pnpm ${pinned}`);
  return local;
}

function run(bin, args) {
  console.log(`› ${path.basename(bin)} ${args.join(' ')}`);
  const r = spawnSync(bin, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const [command = 'test', ...rest] = process.argv.slice(2);
const pnpm = findPnpm();
run(pnpm, ['install', '--frozen-lockfile']);
switch (command) {
  case 'test':
    run(pnpm, ['exec', 'nx', 'run-many', '-t', 'gen', 'build', 'typecheck', 'lint', 'test', '--outputStyle=static', ...rest]);
    break;
  case 'build':
    run(pnpm, ['exec', 'nx', 'run-many', '-t', 'build', '--outputStyle=static', ...rest]);
    break;
  case 'start': {
    run(pnpm, ['exec', 'nx', 'run', '@orion/proxy:build', '--outputStyle=static']);
    const child = spawn(process.execPath, [path.join(root, 'packages/proxy/dist/cli.js'), ...rest], { cwd: root, stdio: 'inherit', env });
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR1']) process.on(signal, () => child.kill(signal));
    child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
    break;
  }
  default:
    console.error(`unknown command ${command}: use start, test or build`);
    process.exit(2);
}
