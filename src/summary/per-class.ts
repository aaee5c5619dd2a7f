/**
 * Per-class results of `mixup test` from one head's counts: accuracy per class (top-1 and every configured top-k),
 * the class each is most often mistaken for, the confusion matrix (row = true class, column = predicted class;
 * row sums = the class's val images), the worst classes, and the CSV form. Pure: counts in, report out.
 */
import {stringify} from 'csv-stringify/sync';
import {usageError} from '../errors';

/** Classes up to which the confusion matrix is given dense (`rows`) in JSON and drawn as a heat map. */
export const DENSE_CONFUSION_LIMIT = 1000;

/** One head's per-class counts (what the engine's `ClassCounts.toData()` gives). */
export interface ClassCountsData {
  numClasses: number;
  /** images per true class */
  images: number[];
  /** per k (as a string): top-k hits per true class */
  topk: Record<string, number[]>;
  /** non-zero cells `[true class, predicted class, images]`, by true class then predicted class */
  confusion: Array<[number, number, number]>;
}

/** One class's results; accuracies in percent, null for a class without val images. */
export interface ClassResult {
  label: number;
  name: string;
  images: number;
  /** images predicted as their own class (the confusion matrix's diagonal cell) */
  top1_hits: number;
  /** `top<k>` per configured k */
  accuracy: Record<string, number | null>;
  /** the other class its images are most often predicted as (lower label on ties), null if none is */
  most_confused_with: {label: number; name: string; images: number} | null;
}

/** The per-class report of one head. */
export interface PerClassReport {
  head: string;
  numClasses: number;
  /** mean over classes with val images of their top-1 accuracy (percent) */
  mean_class_top1: number;
  classes: ClassResult[];
  /** the dense matrix (row = true, column = predicted) up to `DENSE_CONFUSION_LIMIT` classes */
  confusion?: number[][];
  /** above the limit: the non-zero cells `[true, predicted, images]` */
  confusion_nonzero?: Array<[number, number, number]>;
}

/** The name of `label`: from the dataset's names when it has one, else the label itself. */
function nameOf(names: readonly string[] | undefined, label: number): string {
  return names?.[label] ?? String(label);
}

/** The dense confusion matrix of counts (row = true class, column = predicted class). */
export function denseConfusion(counts: ClassCountsData): number[][] {
  const rows = Array.from({length: counts.numClasses}, () => new Array<number>(counts.numClasses).fill(0));
  for (const [t, p, n] of counts.confusion) rows[t][p] += n;
  return rows;
}

/** Builds the report of head `head` from its counts and the dataset's class names (label-indexed, optional). */
export function perClassReport(head: string, counts: ClassCountsData, names?: readonly string[]): PerClassReport {
  const hits = new Array<number>(counts.numClasses).fill(0);
  const confusedWith = new Map<number, [number, number]>();
  for (const [t, p, n] of counts.confusion) {
    const best = confusedWith.get(t);
    if (t === p) hits[t] = n;
    else if (!best || n > best[1]) confusedWith.set(t, [p, n]);
  }
  const ks = Object.keys(counts.topk);
  const classes = counts.images.map((images, label): ClassResult => {
    const other = confusedWith.get(label);
    return {
      label,
      name: nameOf(names, label),
      images,
      top1_hits: hits[label],
      accuracy: Object.fromEntries(ks.map((k) => [`top${k}`, images === 0 ? null : (counts.topk[k][label] * 100) / images])),
      most_confused_with: other ? {label: other[0], name: nameOf(names, other[0]), images: other[1]} : null,
    };
  });
  const seen = classes.filter((c) => c.images > 0);
  const report: PerClassReport = {
    head,
    numClasses: counts.numClasses,
    mean_class_top1: seen.length === 0 ? 0 : seen.reduce((sum, c) => sum + top1Of(c), 0) / seen.length,
    classes,
  };
  if (counts.numClasses <= DENSE_CONFUSION_LIMIT) report.confusion = denseConfusion(counts);
  else report.confusion_nonzero = counts.confusion;
  return report;
}

/** A class's top-1 accuracy in percent (0 without images). */
function top1Of(c: ClassResult): number {
  return c.images === 0 ? 0 : (c.top1_hits * 100) / c.images;
}

/** The `n` classes with val images and the lowest top-1 accuracy (more images first on ties, then lower label). */
export function worstClasses(report: PerClassReport, n: number): ClassResult[] {
  return report.classes
    .filter((c) => c.images > 0)
    .sort((a, b) => top1Of(a) - top1Of(b) || b.images - a.images || a.label - b.label)
    .slice(0, n);
}

/** Terminal lines for the worst classes: `  17 Cape_Glossy_Starling  40.00% of 30 images, most often taken for 16 Bronzed_Cowbird (9)`. */
export function formatWorst(rows: readonly ClassResult[]): string[] {
  const shown = (c: {label: number; name: string}) => (c.name === String(c.label) ? c.name : `${c.label} ${c.name}`);
  const width = Math.max(...rows.map((r) => shown(r).length));
  return rows.map((r) => {
    const other = r.most_confused_with ? `, most often taken for ${shown(r.most_confused_with)} (${r.most_confused_with.images})` : '';
    return `  ${shown(r).padEnd(width)}  ${top1Of(r).toFixed(2).padStart(6)}% of ${r.images} images${other}`;
  });
}

/** The CSV: one row a class, `label,name,images,top1,...,most_confused_with,most_confused_name,most_confused_images`. */
export function perClassCsv(report: PerClassReport): string {
  const ks = Object.keys(report.classes[0]?.accuracy ?? {});
  const header = ['label', 'name', 'images', ...ks, 'top1_hits', 'most_confused_with', 'most_confused_name', 'most_confused_images'];
  const rows = report.classes.map((c) => [
    c.label,
    c.name,
    c.images,
    ...ks.map((k) => (c.accuracy[k] === null ? '' : (c.accuracy[k] as number).toFixed(4))),
    c.top1_hits,
    c.most_confused_with?.label ?? '',
    c.most_confused_with?.name ?? '',
    c.most_confused_with?.images ?? 0,
  ]);
  return stringify([header, ...rows]);
}

/**
 * The report of head `name` (default: the first, `head0` for a classifier).
 * @throws MixupError (usage) naming the head and listing those there are
 */
export function pickHead(reports: readonly PerClassReport[], name: string | undefined, flag = '--head'): PerClassReport {
  const found = name === undefined ? reports[0] : reports.find((r) => r.head === name);
  if (!found) throw usageError(`${flag}: no head ${JSON.stringify(name)}; this model's heads are ${reports.map((r) => r.head).join(', ')}`);
  return found;
}
