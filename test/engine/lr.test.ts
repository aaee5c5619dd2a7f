import {fillDefaults} from '../../src/config/normalise';
import {LrSchema, type LrConfig} from '../../src/config/schema';
import {buildLrSchedule as build} from '../../src/engine/lr';

/** `lr_config` as a file gives it, defaults filled in as `loadConfig` does. */
const buildLrSchedule = (c: Partial<LrConfig> & Pick<LrConfig, 'policy'>, baseLr: number, maxEpochs: number, iters: number) => build(fillDefaults(LrSchema, c), baseLr, maxEpochs, iters);

describe('buildLrSchedule (mmcv LrUpdaterHook semantics)', () => {
  it('cosine by epoch: constant inside an epoch, annealed to min_lr', () => {
    const s = buildLrSchedule({policy: 'CosineAnnealing', min_lr: 0.01}, 0.1, 4, 10);
    expect(s.lrAt(0, 0)).toBeCloseTo(0.1, 12);
    expect(s.lrAt(0, 9)).toBeCloseTo(0.1, 12);
    expect(s.lrAt(2, 20)).toBeCloseTo(0.01 + 0.5 * 0.09 * (1 + Math.cos(Math.PI / 2)), 12);
    expect(s.lrAt(3, 39)).toBeCloseTo(0.01 + 0.5 * 0.09 * (1 + Math.cos((3 * Math.PI) / 4)), 12);
  });

  it('cosine by iteration uses the global iteration over max_epochs * iters', () => {
    const s = buildLrSchedule({policy: 'CosineAnnealing', min_lr: 0, by_epoch: false}, 1, 2, 5);
    expect(s.lrAt(0, 5)).toBeCloseTo(0.5, 12);
    expect(s.lrAt(1, 7)).toBeCloseTo(0.5 * (1 + Math.cos((7 * Math.PI) / 10)), 12);
  });

  it('step with milestones and with a period; fixed', () => {
    const m = buildLrSchedule({policy: 'step', step: [2, 3], gamma: 0.1}, 1, 4, 1);
    expect([0, 1, 2, 3].map((e) => m.lrAt(e, e))).toEqual([1, 1, expect.closeTo(0.1, 12), expect.closeTo(0.01, 12)]);
    const p = buildLrSchedule({policy: 'step', step: 2, gamma: 0.5}, 1, 6, 1);
    expect([0, 1, 2, 3, 4].map((e) => p.lrAt(e, e))).toEqual([1, 1, 0.5, 0.5, 0.25]);
    expect(buildLrSchedule({policy: 'fixed'}, 0.3, 4, 1).lrAt(3, 3)).toBe(0.3);
  });

  it('linear warm-up over iterations', () => {
    const s = buildLrSchedule({policy: 'fixed', warmup: 'linear', warmup_iters: 10, warmup_ratio: 0.1}, 1, 1, 100);
    expect(s.lrAt(0, 0)).toBeCloseTo(0.1, 12);
    expect(s.lrAt(0, 5)).toBeCloseTo(0.55, 12);
    expect(s.lrAt(0, 10)).toBe(1);
  });

  it('min_lr_ratio sets the cosine end from the base lr; step never goes below min_lr', () => {
    expect(buildLrSchedule({policy: 'CosineAnnealing', min_lr_ratio: 0.1}, 2, 2, 1).lrAt(1, 1)).toBeCloseTo(0.2 + 0.5 * 1.8, 12);
    expect(buildLrSchedule({policy: 'step', step: 1, gamma: 0.1, min_lr: 0.05}, 1, 4, 1).lrAt(3, 3)).toBe(0.05);
  });
});
