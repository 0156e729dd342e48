#!/usr/bin/env node
// Enforces the package layer table of docs/architecture.md: which @orion package may depend on which.
// Checks the @orion/* entries of every package.json (dependencies, devDependencies, peerDependencies,
// optionalDependencies) and every import of an @orion/* module in the package's src/, test/ and bench/
// (static and type-only imports, `export … from`, dynamic `import()`, `require()`, `import x =
// require()`), then looks for cycles in the resulting graph.
//
//   node tools/check-layers.mjs [rootDir]     exit 0 when clean, 1 with one line per violation
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** Who may depend on whom: the layer table. Every package except `error` may also depend on `error`. */
export const ALLOWED_DEPENDENCIES = Object.freeze({
  error: Object.freeze([]),
  'http-header': Object.freeze(['error']),
  interner: Object.freeze(['error']),
  'data-plane-api': Object.freeze(['error']),
  format: Object.freeze(['error', 'http-header', 'interner']),
  metrics: Object.freeze(['error', 'interner', 'configuration']),
  tracing: Object.freeze(['http-header', 'interner', 'configuration', 'error']),
  configuration: Object.freeze(['error', 'format', 'interner', 'data-plane-api']),
  xds: Object.freeze(['configuration', 'data-plane-api', 'error']),
  lib: Object.freeze([
    'error',
    'http-header',
    'interner',
    'data-plane-api',
    'format',
    'metrics',
    'tracing',
    'configuration',
    'xds',
  ]),
  proxy: Object.freeze(['configuration', 'error', 'format', 'lib', 'metrics', 'tracing', 'xds']),
});

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
const SOURCE_DIRS = ['src', 'test', 'bench'];
const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.nx']);
const SCOPE = '@orion/';

/** The packages `pkg` may depend on, `error` included. */
export function allowedDependencies(pkg) {
  const row = ALLOWED_DEPENDENCIES[pkg];
  if (row === undefined) return [];
  return pkg === 'error' || row.includes('error') ? [...row] : ['error', ...row];
}

function describeRule(pkg) {
  const allowed = allowedDependencies(pkg);
  return `${pkg} may depend on: ${allowed.length === 0 ? 'nothing' : allowed.join(', ')}`;
}

/** `@orion/format/sub/path.js` → `format`; anything outside the scope → undefined. */
function orionPackageOf(specifier) {
  if (!specifier.startsWith(SCOPE)) return undefined;
  return specifier.slice(SCOPE.length).split('/')[0];
}

function toPosix(file) {
  return file.split(path.sep).join('/');
}

function* walk(dir) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* walk(full);
    } else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      yield full;
    }
  }
}

function scriptKindOf(file) {
  if (/\.[cm]?ts$/.test(file)) return ts.ScriptKind.TS;
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

function stringArgument(node) {
  const arg = node.arguments[0];
  if (arg !== undefined && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) return arg;
  return undefined;
}

/** Every module specifier a source file imports, with its 1-based line. Comments and strings don't count. */
export function importsOf(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  const found = [];
  const add = (literal) => {
    const { line } = source.getLineAndCharacterOfPosition(literal.getStart(source));
    found.push({ specifier: literal.text, line: line + 1 });
  };
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      if (ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      if (ts.isStringLiteral(expr)) add(expr);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) add(arg.literal);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire =
        (ts.isIdentifier(callee) && callee.text === 'require') ||
        (ts.isPropertyAccessExpression(callee) &&
          ts.isIdentifier(callee.expression) &&
          callee.expression.text === 'require' &&
          callee.name.text === 'resolve');
      const literal = isDynamicImport || isRequire ? stringArgument(node) : undefined;
      if (literal !== undefined) add(literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Checks the packages under `rootDir/packages` against the layer table. Returns one message per
 * violation, naming both packages, the rule and where the edge was found, e.g.
 * `@orion/format → @orion/lib: not allowed (format may depend on: error, http-header, interner) in packages/format/src/x.ts:3`.
 */
export function checkLayers(rootDir) {
  const violations = [];
  const packagesDir = path.join(rootDir, 'packages');
  let dirs;
  try {
    dirs = fs
      .readdirSync(packagesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (err) {
    return { violations: [`cannot read ${toPosix(packagesDir)}: ${err.message}`] };
  }

  /** Edges seen, for the cycle check: from → to → first place it was seen. */
  const edges = new Map();
  const noteEdge = (from, to, where) => {
    const targets = edges.get(from) ?? new Map();
    if (!targets.has(to)) targets.set(to, where);
    edges.set(from, targets);
  };
  const checkEdge = (from, to, where) => {
    if (to === from) return; // a package may import itself by name (Node self-reference)
    if (!(to in ALLOWED_DEPENDENCIES)) {
      violations.push(`@orion/${from} → @orion/${to}: unknown package (not in the layer table) in ${where}`);
      return;
    }
    noteEdge(from, to, where);
    if (!allowedDependencies(from).includes(to)) {
      violations.push(`@orion/${from} → @orion/${to}: not allowed (${describeRule(from)}) in ${where}`);
    }
  };

  for (const dir of dirs) {
    const rel = `packages/${dir}`;
    if (!(dir in ALLOWED_DEPENDENCIES)) {
      violations.push(`${rel}: unknown package @orion/${dir} (not in the layer table; known: ${Object.keys(ALLOWED_DEPENDENCIES).join(', ')})`);
      continue;
    }
    const manifestPath = path.join(packagesDir, dir, 'package.json');
    let manifest;
    try {
      manifest = readJson(manifestPath);
    } catch (err) {
      violations.push(`${rel}/package.json: cannot read (${err.code ?? err.message})`);
      continue;
    }
    if (manifest.name !== `@orion/${dir}`) {
      violations.push(`${rel}/package.json: name is ${JSON.stringify(manifest.name)}, expected "@orion/${dir}"`);
    }
    for (const field of DEPENDENCY_FIELDS) {
      for (const name of Object.keys(manifest[field] ?? {})) {
        const to = orionPackageOf(name);
        if (to !== undefined) checkEdge(dir, to, `${rel}/package.json (${field})`);
      }
    }
    for (const sub of SOURCE_DIRS) {
      for (const file of walk(path.join(packagesDir, dir, sub))) {
        const text = fs.readFileSync(file, 'utf8');
        if (!text.includes(SCOPE)) continue; // most files, and all generated code: nothing to parse
        const where = toPosix(path.relative(rootDir, file));
        for (const { specifier, line } of importsOf(file, text)) {
          const to = orionPackageOf(specifier);
          if (to !== undefined) checkEdge(dir, to, `${where}:${line}`);
        }
      }
    }
  }

  for (const cycle of findCycles(edges)) {
    const steps = cycle.map((pkg, i) => {
      const next = cycle[(i + 1) % cycle.length];
      return `@orion/${pkg} → @orion/${next} (${edges.get(pkg).get(next)})`;
    });
    violations.push(`cycle: ${[...cycle, cycle[0]].map((p) => `@orion/${p}`).join(' → ')}; edges: ${steps.join('; ')}`);
  }
  return { violations };
}

/**
 * Cycles found by depth-first search (one per back edge, so every tangle of packages yields at least
 * one), each reported once and rotated to start at its smallest name.
 */
function findCycles(edges) {
  const cycles = new Map();
  const stack = [];
  const onStack = new Set();
  const done = new Set();
  const visit = (node) => {
    stack.push(node);
    onStack.add(node);
    for (const next of [...(edges.get(node)?.keys() ?? [])].sort()) {
      if (onStack.has(next)) {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join('→'), rotated);
      } else if (!done.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    onStack.delete(node);
    done.add(node);
  };
  for (const node of [...edges.keys()].sort()) if (!done.has(node)) visit(node);
  return [...cycles.values()];
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const rootDir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const { violations } = checkLayers(rootDir);
  if (violations.length > 0) {
    for (const line of violations) console.error(line);
    console.error(`check-layers: ${violations.length} violation(s) of the layer table (docs/architecture.md)`);
    process.exitCode = 1;
  } else {
    console.log('check-layers: every @orion dependency follows the layer table');
  }
}
