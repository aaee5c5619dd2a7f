/**
 * Per-class evaluation counts of one head (`mixup test`): images per true class, top-k hits per class and the
 * confusion matrix of the top-1 prediction (row = true class, column = predicted class). The prediction is the
 * lowest-index class of the highest logit, the same tie rule as `countTopK`, so the diagonal's sum is exactly
 * the top-1 hits behind `head0_top1`. The matrix is kept sparse (one entry per non-zero cell, at most one per
 * image), so 8,142 iNaturalist classes cost what the val images cost, not 8,142². `src/summary/per-class.ts`
 * turns the counts into accuracies, the worst classes, the CSV and the heat map.
 */
import type {ClassCountsData} from '../summary/per-class';


/** Accumulates one head's per-class counts over batches. */
export class ClassCounts {
  readonly images: number[];
  readonly hits: Map<number, number[]>;
  /** `label * numClasses + predicted` -> images */
  private readonly cells = new Map<number, number>();

  constructor(
    readonly numClasses: number,
    readonly topk: readonly number[],
  ) {
    this.images = new Array<number>(numClasses).fill(0);
    this.hits = new Map(topk.map((k) => [k, new Array<number>(numClasses).fill(0)]));
  }

  /**
   * Counts one image: its true `label`, the number of classes ranked above it (`higher`, ties towards the lower
   * index) and its top-1 prediction.
   */
  add(label: number, higher: number, predicted: number): void {
    this.images[label]++;
    for (const [k, hits] of this.hits) if (higher < k) hits[label]++;
    const cell = label * this.numClasses + predicted;
    this.cells.set(cell, (this.cells.get(cell) ?? 0) + 1);
  }

  /** Images of true class `label` predicted as `predicted`. */
  cell(label: number, predicted: number): number {
    return this.cells.get(label * this.numClasses + predicted) ?? 0;
  }

  /** The counts as plain arrays (label-indexed; the matrix as its non-zero cells). */
  toData(): ClassCountsData {
    const confusion = [...this.cells.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([cell, n]): [number, number, number] => [Math.floor(cell / this.numClasses), cell % this.numClasses, n]);
    return {numClasses: this.numClasses, images: [...this.images], topk: Object.fromEntries([...this.hits].map(([k, h]) => [String(k), [...h]])), confusion};
  }
}

/** The top-1 prediction of a logit row: the lowest index of its maximum. */
export function argmaxLowest(row: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}
