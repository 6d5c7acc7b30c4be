/**
 * `npm run train:answers`: fits the learned part of the answer classifier, a logistic regression
 * over words, word pairs, affix shapes, character 4-grams and three features of the clause structure
 * (`answerFeatures` in src/domain/answer-check.ts), on every development item of
 * src/domain/answers/*.jsonl — every split but `holdout3`, the blind held-out set, which is never
 * fitted on (`fit` refuses it) — and writes src/domain/answers/model.json.
 *
 * Settings chosen by cross-validation (10-fold stratified over the development items, the rules
 * fixed, the model refitted on the other folds):
 * - the L2 penalty and the minimum feature count: lowest out-of-fold log-loss of the model alone
 *   (its features are words, not the rules' verdict, so this is an honest estimate for the model);
 * - the blend, the clip of the rules' logit and the threshold: over a grid, each setting's worst
 *   figure (lowest of the four precisions and recalls) in three validations, and the setting whose
 *   lowest of the three is highest is kept:
 *   - 10-fold stratified and leave-one-kind-out cross-validation of the current rules + model. The
 *     rules were written against these same items, so these say little about trusting the rules on
 *     new text;
 *   - a backtest on text the rules had not seen: the round-2 rules' logits and structure features,
 *     recorded once in answers/round2-rules.json, on holdout2 + dev3 (written after those rules),
 *     with a model fitted, by the same settings, on the splits those rules were written against
 *     (train, test, holdout). It is the only validation here in which the rules meet new text.
 *
 * Deterministic: features seen in at least minCount items, sorted; weights start at zero; full-batch
 * gradient descent for a fixed number of steps; weights rounded to 4 decimals, those under 0.001
 * dropped. The same items give the same file, byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import { answerFeatures, combine } from '../src/domain/answer-check.ts';
import {
  ANSWERS_DIR,
  hash,
  logitOf,
  developmentItems,
  type FitOptions,
  featurize,
  figures,
  fit,
  formatFigures,
  HELD_OUT,
  kindFolds,
  type Label,
  loadItems,
  outOfFold,
  stratifiedFolds,
  worst,
} from './answers-lib.ts';

const BLENDS = [0.5, 0.75, 1, 1.25];
const CLIPS = [2.5, 4, 7];
const THRESHOLDS = [0, 0.25, 0.5, 0.75, 1, 1.25];
const STEPS = 400;
const RATE = 0.5;
const L2_GRID = [0.001, 0.003, 0.01, 0.03];
const MIN_COUNT_GRID = [2, 3];

const items = loadItems();
const dev = developmentItems(items);
const heldOut = items.length - dev.length;
console.log(
  `${dev.length} development items from ${[...new Set(dev.map((i) => i.file))].join(', ')}` +
    (heldOut > 0 ? `; ${heldOut} ${HELD_OUT} items left out (never fitted on)` : ''),
);
const { features, rules } = featurize(dev);
const labels = dev.map((i) => i.label);
const y = labels.map((l) => (l === 'answer' ? 1 : 0));
const folds10 = stratifiedFolds(dev, 10);
const foldsKind = kindFolds(dev);

// 1. The model alone: L2 and minimum count by out-of-fold log-loss.
let best: { options: FitOptions; loss: number; oof: number[] } | undefined;
console.log('\nmodel alone, 10-fold cross-validation:');
for (const minCount of MIN_COUNT_GRID) {
  for (const l2 of L2_GRID) {
    const options = { l2, steps: STEPS, rate: RATE, minCount };
    const oof = outOfFold(dev, features, folds10, options);
    let loss = 0;
    oof.forEach((z, n) => {
      const p = Math.min(Math.max(1 / (1 + Math.exp(-z)), 1e-6), 1 - 1e-6);
      loss -= y[n]! * Math.log(p) + (1 - y[n]!) * Math.log(1 - p);
    });
    loss /= oof.length;
    const f = figures(
      labels,
      oof.map((z) => (z >= 0 ? 'answer' : 'non_answer')),
    );
    console.log(`  L2 ${String(l2).padEnd(5)} min count ${minCount}: log-loss ${loss.toFixed(4)} · ${formatFigures(f)}`);
    // Within 0.001 of the best log-loss, the smaller model (higher minimum count) is kept.
    if (best === undefined || loss < best.loss - (minCount > best.options.minCount ? -0.001 : 0)) best = { options, loss, oof };
  }
}
const chosen = best!;
console.log(`  chosen: L2 ${chosen.options.l2}, min count ${chosen.options.minCount}`);

// 2. Rules + model: blend, clip and threshold.
const oofKind = outOfFold(dev, features, foldsKind, chosen.options);
// The backtest: the round-2 rules on the items written after them.
const round2 = (
  JSON.parse(fs.readFileSync(path.join(ANSWERS_DIR, 'round2-rules.json'), 'utf8')) as {
    items: Record<string, { rules: number; structure: string }>;
  }
).items;
const recorded = (text: string) => round2[hash(text).toString(16).padStart(8, '0')];
const round2Features = (text: string) => [...answerFeatures(text, []), ...(recorded(text)?.structure.split(' ').filter(Boolean) ?? [])];
const backTrain = dev.filter((i) => ['train', 'test', 'holdout'].includes(i.split) && recorded(i.text));
const backTest = dev.filter((i) => ['holdout2', 'dev3'].includes(i.split) && recorded(i.text));
const backModel = fit(
  backTrain.map((i) => round2Features(i.text)),
  backTrain.map((i) => i.label),
  backTrain.map((i) => i.split),
  chosen.options,
);
const backModelLogits = backTest.map((i) => logitOf(backModel, round2Features(i.text)));
const backRules = backTest.map((i) => recorded(i.text)!.rules);
console.log(
  `\nbacktest: round-2 rules on ${backTest.length} items written after them (holdout2, dev3); model fitted on ${backTrain.length} (train, test, holdout)`,
);
console.log(
  `  round-2 rules alone: ${formatFigures(
    figures(
      backTest.map((i) => i.label),
      backRules.map((r) => (r >= 0 ? 'answer' : 'non_answer')),
    ),
  )}`,
);
console.log(
  `  model alone:         ${formatFigures(
    figures(
      backTest.map((i) => i.label),
      backModelLogits.map((m) => (m >= 0 ? 'answer' : 'non_answer')),
    ),
  )}`,
);

console.log('\nrules + model, worst of the four figures: 10-fold / leave-one-kind-out / backtest');
let kept: { blend: number; clip: number; threshold: number; score: number; accuracy: number } | undefined;
for (const clip of CLIPS) {
  for (const blend of BLENDS) {
    const cells: string[] = [];
    for (const threshold of THRESHOLDS) {
      const settings = { blend, clip, threshold, fit: chosen.options };
      const verdicts = (r: number[], m: number[]) => m.map((z, n): Label => (combine(r[n]!, z, settings) >= 0 ? 'answer' : 'non_answer'));
      const a = figures(labels, verdicts(rules, chosen.oof));
      const b = figures(labels, verdicts(rules, oofKind));
      const c = figures(
        backTest.map((i) => i.label),
        verdicts(backRules, backModelLogits),
      );
      const score = Math.min(worst(a), worst(b), worst(c));
      const accuracy = a.accuracy + b.accuracy + c.accuracy;
      if (kept === undefined || score > kept.score || (score === kept.score && accuracy > kept.accuracy)) {
        kept = { blend, clip, threshold, score, accuracy };
      }
      cells.push(`t ${threshold.toFixed(2)} ${worst(a).toFixed(3)}/${worst(b).toFixed(3)}/${worst(c).toFixed(3)}`);
    }
    console.log(`  clip ${String(clip).padEnd(3)} blend ${String(blend).padEnd(4)} ${cells.join('  ')}`);
  }
}
const { blend: BLEND, clip: CLIP, threshold: THRESHOLD } = kept!;
const settings = { blend: BLEND, clip: CLIP, threshold: THRESHOLD, fit: chosen.options };
for (const [name, oof] of [
  ['10-fold', chosen.oof],
  ['leave-one-kind-out', oofKind],
] as const) {
  const f = figures(
    labels,
    oof.map((m, n) => (combine(rules[n]!, m, settings) >= 0 ? 'answer' : 'non_answer')),
  );
  console.log(`  kept: blend ${BLEND}, clip ${CLIP}, threshold ${THRESHOLD}; ${name}: ${formatFigures(f)}`);
}
console.log(
  `  kept, backtest: ${formatFigures(
    figures(
      backTest.map((i) => i.label),
      backRules.map((r, n) => (combine(r, backModelLogits[n]!, settings) >= 0 ? 'answer' : 'non_answer')),
    ),
  )}`,
);

// 3. The model on every development item.
const model = fit(
  features,
  labels,
  dev.map((i) => i.split),
  chosen.options,
);
const weights: Record<string, number> = {};
for (const [f, w] of Object.entries(model.weights)) if (Math.abs(w) >= 0.001) weights[f] = w;
const file = path.join(ANSWERS_DIR, 'model.json');
// Two-space indent, as biome formats JSON.
fs.writeFileSync(
  file,
  `${JSON.stringify({ bias: model.bias, blend: BLEND, clip: CLIP, threshold: THRESHOLD, fit: chosen.options, weights }, null, 2)}\n`,
);
console.log(`\nwrote ${path.relative(process.cwd(), file)}: ${Object.keys(weights).length} weights`);
