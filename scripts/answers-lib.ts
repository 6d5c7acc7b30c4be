/**
 * Shared by scripts/train-answers.ts and scripts/eval-answers.ts: the labelled answer sets, the
 * logistic-regression fit of the answer classifier's learned part, and cross-validation.
 *
 * Every `*.jsonl` in src/domain/answers/ is read. The split `holdout4` is the blind held-out set:
 * it is never fitted on, never used to choose a setting, and only scored by eval-answers.ts.
 * (holdout3, the blind set of round 3, was scored once and is development data since round 4.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { answerFeatures, ruleLogit } from '../src/domain/answer-check.ts';

export type Label = 'answer' | 'non_answer';

export interface Item {
  text: string;
  label: Label;
  kind: string;
  split: string;
  /** The file it came from (relative to the answers directory). */
  file: string;
}

/** The blind held-out split: scored once, never fitted or tuned on. */
export const HELD_OUT = 'holdout4';

export const ANSWERS_DIR = path.resolve(import.meta.dirname, '../src/domain/answers');

/** Every item of every `*.jsonl` in the answers directory, in file-name then line order. */
export function loadItems(dir = ANSWERS_DIR): Item[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  const items: Item[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    lines.forEach((line, n) => {
      if (line.trim() === '') return;
      const raw = JSON.parse(line) as Omit<Item, 'file'>;
      if (!raw.text || (raw.label !== 'answer' && raw.label !== 'non_answer') || !raw.kind || !raw.split) {
        throw new Error(`${file}:${n + 1}: an item needs text, label (answer/non_answer), kind and split`);
      }
      items.push({ text: raw.text, label: raw.label, kind: raw.kind, split: raw.split, file });
    });
  }
  return items;
}

/** Development data: everything but the blind held-out split. */
export function developmentItems(items: Item[]): Item[] {
  return items.filter((i) => i.split !== HELD_OUT);
}

export interface Model {
  bias: number;
  weights: Record<string, number>;
}

export interface FitOptions {
  /** L2 penalty on the weights (not the bias). */
  l2: number;
  steps: number;
  rate: number;
  /** Features seen in fewer items than this are left out. */
  minCount: number;
}

export const DEFAULT_FIT: FitOptions = { l2: 0.02, steps: 400, rate: 0.5, minCount: 2 };

/** Features of each item, computed once (the rules run inside answerFeatures). */
export function featurize(items: Item[]): { features: string[][]; rules: number[] } {
  return { features: items.map((i) => answerFeatures(i.text)), rules: items.map((i) => ruleLogit(i.text)) };
}

/**
 * A logistic regression by full-batch gradient descent from zero, with L2: deterministic, so the
 * same rows give the same model. Refuses rows of the blind held-out split.
 */
export function fit(rows: string[][], labels: Label[], splits: string[], options: FitOptions = DEFAULT_FIT): Model {
  if (splits.some((s) => s === HELD_OUT)) throw new Error(`refusing to fit on the blind held-out split "${HELD_OUT}"`);
  const counts = new Map<string, number>();
  for (const r of rows) for (const f of r) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocab = [...counts].filter(([, n]) => n >= options.minCount).map(([f]) => f);
  vocab.sort();
  const index = new Map(vocab.map((f, k) => [f, k]));
  const x = rows.map((r) => Int32Array.from(r.map((f) => index.get(f)).filter((k): k is number => k !== undefined)));
  const y = labels.map((l) => (l === 'answer' ? 1 : 0));
  const w = new Float64Array(vocab.length);
  const g = new Float64Array(vocab.length);
  let b = 0;
  for (let step = 0; step < options.steps; step++) {
    g.fill(0);
    let gb = 0;
    for (let n = 0; n < x.length; n++) {
      const xn = x[n]!;
      let z = b;
      for (let j = 0; j < xn.length; j++) z += w[xn[j]!]!;
      const err = 1 / (1 + Math.exp(-z)) - y[n]!;
      gb += err;
      for (let j = 0; j < xn.length; j++) g[xn[j]!]! += err;
    }
    for (let k = 0; k < w.length; k++) w[k]! -= options.rate * (g[k]! / x.length + options.l2 * w[k]!);
    b -= (options.rate * gb) / x.length;
  }
  const weights: Record<string, number> = {};
  for (let k = 0; k < vocab.length; k++) {
    const v = Math.round(w[k]! * 10000) / 10000;
    if (v !== 0) weights[vocab[k]!] = v;
  }
  return { bias: Math.round(b * 10000) / 10000, weights };
}

export function logitOf(model: Model, features: string[]): number {
  let z = model.bias;
  for (const f of features) z += model.weights[f] ?? 0;
  return z;
}

/** A stable hash of a string (FNV-1a), for fold assignment that does not depend on file order. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Stratified k folds: within each label, items ordered by a hash of their text, dealt round-robin. */
export function stratifiedFolds(items: Item[], k: number): number[] {
  const fold = new Array<number>(items.length).fill(0);
  for (const label of ['answer', 'non_answer'] as const) {
    const idx = items.map((item, n) => ({ item, n })).filter(({ item }) => item.label === label);
    idx.sort((a, b) => hash(a.item.text) - hash(b.item.text) || a.n - b.n);
    idx.forEach(({ n }, j) => {
      fold[n] = j % k;
    });
  }
  return fold;
}

/** Leave one kind out: every kind is a fold. */
export function kindFolds(items: Item[]): number[] {
  const kinds = [...new Set(items.map((i) => i.kind))].sort();
  return items.map((i) => kinds.indexOf(i.kind));
}

/** Out-of-fold model logits: for each fold, the model is refitted on the other folds. */
export function outOfFold(items: Item[], features: string[][], folds: number[], options: FitOptions = DEFAULT_FIT): number[] {
  const out = new Array<number>(items.length).fill(0);
  for (const k of [...new Set(folds)]) {
    const trainIdx = items.map((_, n) => n).filter((n) => folds[n] !== k);
    const model = fit(
      trainIdx.map((n) => features[n]!),
      trainIdx.map((n) => items[n]!.label),
      trainIdx.map((n) => items[n]!.split),
      options,
    );
    items.forEach((_, n) => {
      if (folds[n] === k) out[n] = logitOf(model, features[n]!);
    });
  }
  return out;
}

export interface Figures {
  answer: { precision: number; recall: number };
  non_answer: { precision: number; recall: number };
  confusion: { aa: number; an: number; na: number; nn: number };
  accuracy: number;
}

/** Precision and recall of both classes from labels and predicted verdicts. */
export function figures(labels: Label[], predicted: Label[]): Figures {
  const m = { aa: 0, an: 0, na: 0, nn: 0 };
  labels.forEach((l, n) => {
    const key = `${l === 'answer' ? 'a' : 'n'}${predicted[n] === 'answer' ? 'a' : 'n'}` as keyof typeof m;
    m[key]++;
  });
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    answer: { precision: ratio(m.aa, m.aa + m.na), recall: ratio(m.aa, m.aa + m.an) },
    non_answer: { precision: ratio(m.nn, m.nn + m.an), recall: ratio(m.nn, m.nn + m.na) },
    confusion: m,
    accuracy: ratio(m.aa + m.nn, labels.length),
  };
}

/** The lowest of the four figures: what the 0.95 target is checked against. */
export function worst(f: Figures): number {
  return Math.min(f.answer.precision, f.answer.recall, f.non_answer.precision, f.non_answer.recall);
}

export function formatFigures(f: Figures): string {
  const p = (x: number) => x.toFixed(3);
  return `answer P ${p(f.answer.precision)} R ${p(f.answer.recall)} · non_answer P ${p(f.non_answer.precision)} R ${p(f.non_answer.recall)} · accuracy ${p(f.accuracy)} (${f.confusion.an} answers refused, ${f.confusion.na} non-answers accepted)`;
}

/**
 * The backtests: rules' logits and structure features recorded once, before the items of the test
 * splits were written (or before any rule was changed against them), on those items, with a model
 * fitted on the splits those rules were written against. The only validations in which the rules
 * meet text they were not tuned on (until holdout4).
 */
export const BACKTESTS = [
  { file: 'round2-rules.json', train: ['train', 'test', 'holdout'], test: ['holdout2', 'dev3'] },
  { file: 'round3-rules.json', train: ['train', 'test', 'holdout', 'holdout2', 'dev3'], test: ['dev4'] },
  {
    file: 'round3-final-rules.json',
    train: ['train', 'test', 'holdout', 'holdout2', 'dev3', 'dev4'],
    test: ['holdout3', 'dev5'],
  },
];

export interface Backtest {
  name: string;
  labels: Label[];
  /** The recorded rules' logits. */
  rules: number[];
  /** The logits of a model fitted on the training splits. */
  model: number[];
}

export function runBacktests(dev: Item[], options: FitOptions): Backtest[] {
  return BACKTESTS.map((b) => {
    const recorded = JSON.parse(fs.readFileSync(path.join(ANSWERS_DIR, b.file), 'utf8')) as {
      rulesCommit: string;
      items: Record<string, { rules: number; structure: string }>;
    };
    const of = (text: string) => recorded.items[hash(text).toString(16).padStart(8, '0')];
    const feats = (text: string) => [...answerFeatures(text, []), ...(of(text)?.structure.split(' ').filter(Boolean) ?? [])];
    const trainSet = dev.filter((i) => b.train.includes(i.split) && of(i.text));
    const testSet = dev.filter((i) => b.test.includes(i.split) && of(i.text));
    const model = fit(
      trainSet.map((i) => feats(i.text)),
      trainSet.map((i) => i.label),
      trainSet.map((i) => i.split),
      options,
    );
    return {
      name: `rules of ${recorded.rulesCommit} on ${b.test.join(' + ')} (${testSet.length} items), model fitted on ${b.train.join(' + ')} (${trainSet.length})`,
      labels: testSet.map((i) => i.label),
      rules: testSet.map((i) => of(i.text)!.rules),
      model: testSet.map((i) => logitOf(model, feats(i.text))),
    };
  });
}
