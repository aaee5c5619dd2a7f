/**
 * Per-class counting inside the evaluation loop: a model whose logits are its input, so every prediction is known
 * and the expected per-class numbers are counted here by hand.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {argmaxLowest, ClassCounts} from '../../src/engine/class-counts';
import {evaluate, type LoaderLike, type TrainableModel} from '../../src/engine/learner';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Logits = the image: a batch of shape [N, 1, 1, C]. */
const identity: TrainableModel = {numClasses: 3, params: new Map(), buffers: new Map(), forward: (x) => tf.reshape(x, [x.shape[0], x.shape[3]]) as tf.Tensor2D};

/** Rows of logits and their labels, in batches of `batch`. */
function loader(rows: number[][], labels: number[], batch: number): LoaderLike {
  return {
    numSamples: rows.length,
    numBatches: Math.ceil(rows.length / batch),
    async *epoch() {
      for (let i = 0; i < rows.length; i += batch) {
        const part = rows.slice(i, i + batch);
        yield {images: Float32Array.from(part.flat()), shape: [part.length, 1, 1, 3] as [number, number, number, number], labels: Int32Array.from(labels.slice(i, i + batch))};
      }
    },
  };
}

describe('argmaxLowest', () => {
  it('takes the lowest index among equal maxima (the tie rule of countTopK)', () => {
    expect(argmaxLowest([0, 2, 2])).toBe(1);
    expect(argmaxLowest([5, 5, 5])).toBe(0);
    expect(argmaxLowest([-3, -1, -2])).toBe(1);
  });
});

describe('evaluate with perClass', () => {
  // predictions (argmax, lowest on ties):   0  0  1  2  1  1  2  0   (the row [1, 1, 0] ties 0 and 1 -> 0)
  const rows = [[9, 0, 0], [1, 1, 0], [0, 5, 1], [0, 1, 5], [0, 3, 2], [1, 4, 0], [0, 0, 1], [3, 2, 1]];
  const labels = [0, 1, 1, 1, 2, 2, 2, 0];

  it('counts images, top-k hits and the top-1 confusion per class; the diagonal is head0_top1', async () => {
    const result = await evaluate(identity, loader(rows, labels, 3), [1, 2], {perClass: true});
    const counts = result.perClass!.get('head0')!.toData();
    expect(counts.numClasses).toBe(3);
    expect(counts.images).toEqual([2, 3, 3]);
    // top-1 hits: class 0: rows 0, 7; class 1: row 2; class 2: row 6
    expect(counts.topk['1']).toEqual([2, 1, 1]);
    // top-2: class 0 rows 0, 7; class 1 rows 1 (ties class 0, ranked 2nd), 2, 3 (2nd); class 2 rows 4 (2nd), 6 (row 5 ranks it 3rd)
    expect(counts.topk['2']).toEqual([2, 3, 2]);
    expect(counts.confusion).toEqual([
      [0, 0, 2],
      [1, 0, 1],
      [1, 1, 1],
      [1, 2, 1],
      [2, 1, 2],
      [2, 2, 1],
    ]);
    const diagonal = counts.confusion.filter(([t, p]) => t === p).reduce((a, [, , n]) => a + n, 0);
    expect(result.metrics.head0_top1).toBeCloseTo((diagonal * 100) / rows.length, 10);
    expect(result.metrics.head0_top2).toBeCloseTo(((2 + 3 + 2) * 100) / rows.length, 10);
  });

  it('is left out unless asked for, and the same for any batch size', async () => {
    expect((await evaluate(identity, loader(rows, labels, 8), [1])).perClass).toBeUndefined();
    const whole = (await evaluate(identity, loader(rows, labels, 8), [1], {perClass: true})).perClass!.get('head0')!.toData();
    const ones = (await evaluate(identity, loader(rows, labels, 1), [1], {perClass: true})).perClass!.get('head0')!.toData();
    expect(ones).toEqual(whole);
  });
});

describe('ClassCounts', () => {
  it('keeps the matrix sparse: one cell per (true, predicted) pair seen', () => {
    const counts = new ClassCounts(10_000, [1]);
    counts.add(9_999, 0, 9_999);
    counts.add(9_999, 3, 12);
    counts.add(9_999, 3, 12);
    expect(counts.toData().confusion).toEqual([[9_999, 12, 2], [9_999, 9_999, 1]]);
    expect(counts.cell(9_999, 12)).toBe(2);
  });
});
