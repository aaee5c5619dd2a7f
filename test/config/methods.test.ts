/**
 * The method catalog's derived lists: the reference tables' rows, the demo's default methods, the learned mixers,
 * the row order of the summaries, and `mixesNothing` (kind `none`), which every α-less special case reads instead
 * of comparing names.
 */
import {BENCHMARKS} from '../../src/config/benchmarks';
import {DEMO_METHODS, findMethod, isLearned, LEARNED_METHODS, METHOD_NAMES, METHODS, methodOrder, mixesNothing, REFERENCE_TABLE_METHODS} from '../../src/config/methods';

describe('method catalog', () => {
  it('lists the reference tables\' rows in the page\'s order', () => {
    expect(REFERENCE_TABLE_METHODS).toEqual(['vanilla', 'mixup', 'cutmix', 'manifoldmix', 'saliencymix', 'fmix', 'puzzlemix', 'resizemix', 'automix', 'samix']);
    for (const bench of BENCHMARKS.filter((b) => !b.demo)) {
      expect(bench.methods).toEqual(REFERENCE_TABLE_METHODS);
      expect(Object.keys(bench.reference)).toEqual(REFERENCE_TABLE_METHODS);
    }
  });

  it('orders the demo\'s methods by demoOrder, and every benchmark maps the learned mixers to their bases', () => {
    expect(DEMO_METHODS).toEqual(['vanilla', 'mixup', 'cutmix', 'fmix', 'resizemix', 'manifoldmix']);
    expect(LEARNED_METHODS).toEqual(['automix', 'samix']);
    for (const bench of BENCHMARKS) for (const m of LEARNED_METHODS) expect(bench.variants[m]).toBe(m);
    const orders = METHODS.flatMap((m) => (m.demoOrder === undefined ? [] : [m.demoOrder]));
    expect(new Set(orders).size).toBe(orders.length);
  });

  it('vanilla is the one method that mixes nothing; mixed policies and unknown names are not', () => {
    expect(METHOD_NAMES.filter((m) => mixesNothing(m))).toEqual(['vanilla']);
    expect(mixesNothing('vanilla+mixup')).toBe(false);
    expect(mixesNothing(undefined)).toBe(false);
    expect(isLearned('samix')).toBe(true);
    expect(isLearned('mixup')).toBe(false);
  });

  it('orders rows: reference rows, then the rest of the catalog, then unknown names', () => {
    const sorted = [...METHOD_NAMES, 'mixup+cutmix'].sort((a, b) => methodOrder(a) - methodOrder(b));
    expect(sorted).toEqual([...REFERENCE_TABLE_METHODS, 'gridmix', 'smoothmix', 'attentivemix', 'alignmix', 'mixup+cutmix']);
  });

  it('a refinement names a method of the catalog', () => {
    for (const m of METHODS.filter((x) => x.variantOf !== undefined)) expect(findMethod(m.variantOf!)?.kind).toBe(m.kind);
  });
});
