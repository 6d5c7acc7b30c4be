import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

/**
 * Imports run downward only. From the bottom: errors; pure domain rules; the base the features
 * stand on (config, logger, database, shared types); the features' services and repositories;
 * HTTP (src/http, and each feature's *.routes.ts and *.schema.ts); the entry points that wire it all. Features may
 * use each other, but never in a circle.
 */

const SRC = import.meta.dirname;
const ENTRY = new Set(['main.ts', 'cli.ts', 'worker.ts', 'bootstrap.ts', 'demo.ts']);

const LAYERS = ['errors', 'domain', 'base', 'feature', 'http', 'entry'] as const;
type Layer = (typeof LAYERS)[number];

function layerOf(file: string): Layer {
  const rel = path.relative(SRC, file).split(path.sep).join('/');
  if (rel === 'errors.ts') return 'errors';
  if (rel.startsWith('domain/')) return 'domain';
  // A feature's routes and request/response schemas are its HTTP face.
  if (rel.startsWith('features/')) return /\.(routes|schema)\.ts$/.test(rel) ? 'http' : 'feature';
  if (rel.startsWith('http/') || rel.startsWith('web/')) return 'http';
  if (ENTRY.has(rel) || rel.startsWith('cli/')) return 'entry';
  return 'base'; // config, logger, runtime, deps, db/
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/gms)].map((m) => m[1]!);
  return specifiers.map((s) => path.resolve(path.dirname(file), s));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(SRC, f);

test('the import reader sees imports (a file known to import another does)', () => {
  const app = graph.get(path.join(SRC, 'http/app.ts'))!;
  assert.ok(app.includes(path.join(SRC, 'features/reports/reports.routes.ts')));
  assert.ok(files.length > 50);
});

test('no module imports from a layer above its own', () => {
  const upward: string[] = [];
  for (const [file, targets] of graph) {
    const from = LAYERS.indexOf(layerOf(file));
    for (const target of targets) {
      const to = LAYERS.indexOf(layerOf(target));
      if (to > from) upward.push(`${rel(file)} (${layerOf(file)}) → ${rel(target)} (${layerOf(target)})`);
    }
  }
  assert.deepEqual(upward, [], `upward imports:\n${upward.join('\n')}`);
});

test('features depend on each other without a circle', () => {
  const folderOf = (f: string) => path.relative(path.join(SRC, 'features'), f).split(path.sep)[0]!;
  const edges = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    if (layerOf(file) !== 'feature') continue;
    for (const target of targets) {
      if (layerOf(target) !== 'feature' || folderOf(target) === folderOf(file)) continue;
      const set = edges.get(folderOf(file)) ?? new Set<string>();
      set.add(folderOf(target));
      edges.set(folderOf(file), set);
    }
  }
  const cycles: string[] = [];
  const visit = (node: string, trail: string[]) => {
    if (trail.includes(node)) {
      cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
      return;
    }
    for (const next of edges.get(node) ?? []) visit(next, [...trail, node]);
  };
  for (const node of edges.keys()) visit(node, []);
  assert.deepEqual(cycles, [], `circles between features:\n${[...new Set(cycles)].join('\n')}`);
});
