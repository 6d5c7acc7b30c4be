/**
 * `npm run train:answers`: fits the learned part of the answer classifier, a logistic regression
 * over words, word pairs, affix shapes, character 4-grams and three features of the clause structure
 * (`answerFeatures` in src/domain/answer-check.ts), on every development item of
 * src/domain/answers/*.jsonl — every split but `holdout4`, the blind held-out set, which is never
 * fitted on (`fit` refuses it) — and writes src/domain/answers/model.json.
 *
 * Settings chosen by cross-validation (10-fold stratified over the development items, the rules
 * fixed, the model refitted on the other folds):
 * - the L2 penalty and the minimum feature count: lowest out-of-fold log-loss of the model alone
 *   (its features are words, not the rules' verdict, so this is an honest estimate for the model);
 * - the blend, the clip of the rules' logit and the threshold: over a grid, each setting's worst
 *   figure (lowest of the four precisions and recalls) in four validations; among the settings whose
 *   cross-validation figures stay at CV_FLOOR or above, the one with the best mean backtest figure
 *   is kept (ties: the highest total accuracy):
 *   - 10-fold stratified and leave-one-kind-out cross-validation of the current rules + model. The
 *     rules were written against these same items, so these say little about trusting the rules on
 *     new text;
 *   - backtests on text the rules had not seen: rules' logits and structure features recorded once
 *     (answers/round2-rules.json: the round-2 rules, on holdout2 + dev3, written after them;
 *     answers/round3-rules.json: the round-3 rules as first committed, on dev4, written after
 *     them; answers/round3-final-rules.json: the round-3 rules as merged, on holdout3, blind to
 *     them, and dev5, written after them), with a model fitted, by the same settings, on the splits those rules were written
 *     against. These are the only validations here in which the rules meet new text.
 *
 * Deterministic: features seen in at least minCount items, sorted; weights start at zero; full-batch
 * gradient descent for a fixed number of steps; weights rounded to 4 decimals, those under 0.001
 * dropped. The same items give the same file, byte for byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import { combine } from '../src/domain/answer-check.ts';
import {
  ANSWERS_DIR,
  runBacktests,
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
/** A setting whose 10-fold or leave-one-kind-out worst figure falls below this is not kept. */
const CV_FLOOR = 0.97;
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
const verdictsOf = (r: number[], m: number[], s: Parameters<typeof combine>[2]) =>
  m.map((z, n): Label => (combine(r[n]!, z, s) >= 0 ? 'answer' : 'non_answer'));
const backtests = runBacktests(dev, chosen.options);
for (const t of backtests) {
  const alone = (z: number[]) =>
    formatFigures(
      figures(
        t.labels,
        z.map((v): Label => (v >= 0 ? 'answer' : 'non_answer')),
      ),
    );
  console.log(`\nbacktest, ${t.name}:`);
  console.log(`  rules alone: ${alone(t.rules)}`);
  console.log(`  model alone: ${alone(t.model)}`);
}

console.log(
  `\nrules + model, worst of the four figures: 10-fold / leave-one-kind-out / ${backtests.map((_, k) => `backtest ${k + 1}`).join(' / ')}`,
);
let kept: { blend: number; clip: number; threshold: number; score: number; accuracy: number } | undefined;
for (const clip of CLIPS) {
  for (const blend of BLENDS) {
    const cells: string[] = [];
    for (const threshold of THRESHOLDS) {
      const s = { blend, clip, threshold, fit: chosen.options };
      const all = [
        figures(labels, verdictsOf(rules, chosen.oof, s)),
        figures(labels, verdictsOf(rules, oofKind, s)),
        ...backtests.map((t) => figures(t.labels, verdictsOf(t.rules, t.model, s))),
      ];
      // The backtests decide (their mean worst figure), among the settings that keep the
      // cross-validation's worst figure at CV_FLOOR or above; ties go to the higher total accuracy.
      const cvOk = worst(all[0]!) >= CV_FLOOR && worst(all[1]!) >= CV_FLOOR;
      const score = cvOk ? all.slice(2).reduce((x, f) => x + worst(f), 0) / backtests.length : -1;
      const accuracy = all.reduce((x, f) => x + f.accuracy, 0);
      if (kept === undefined || score > kept.score || (score === kept.score && accuracy > kept.accuracy)) {
        kept = { blend, clip, threshold, score, accuracy };
      }
      cells.push(`t ${threshold.toFixed(2)} ${all.map((f) => worst(f).toFixed(3)).join('/')}`);
    }
    console.log(`  clip ${String(clip).padEnd(3)} blend ${String(blend).padEnd(4)} ${cells.join('  ')}`);
  }
}
const { blend: BLEND, clip: CLIP, threshold: THRESHOLD } = kept!;
const settings = { blend: BLEND, clip: CLIP, threshold: THRESHOLD, fit: chosen.options };
console.log(`kept: blend ${BLEND}, clip ${CLIP}, threshold ${THRESHOLD}`);
console.log(`  10-fold:            ${formatFigures(figures(labels, verdictsOf(rules, chosen.oof, settings)))}`);
console.log(`  leave-one-kind-out: ${formatFigures(figures(labels, verdictsOf(rules, oofKind, settings)))}`);
for (const t of backtests)
  console.log(`  backtest, ${t.name}: ${formatFigures(figures(t.labels, verdictsOf(t.rules, t.model, settings)))}`);

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
