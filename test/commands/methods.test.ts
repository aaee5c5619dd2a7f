import {METHODS} from '../../src/config/methods';
import {registry} from '../../src/mixups';
import {runCli} from '../helpers/cli';

describe('mixup methods', () => {
  it('lists every catalog method with its defaults, and "implemented" as the mixups registry says', () => {
    const result = runCli(['methods', '--json']);
    expect(result.status).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{name: string; implemented: boolean; learned: boolean; defaultArgs: unknown; kind: string}>;
    expect(rows.map((r) => r.name)).toEqual(METHODS.map((m) => m.name));
    for (const row of rows) {
      expect(row.implemented).toBe(registry.has(row.name) && registry.get(row.name).implemented);
      expect(row.defaultArgs).toEqual(METHODS.find((m) => m.name === row.name)!.defaultArgs);
    }
    expect(rows.filter((r) => r.learned).map((r) => [r.name, r.implemented])).toEqual([['automix', true], ['samix', true]]);
  });

  it('shows the learned mixers as implemented via model.type AutoMixup', () => {
    const result = runCli(['methods']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^automix +AutoMix +learned +yes \(via model\.type AutoMixup\) +\{"mask_adjust":0,"lam_margin":0\}$/m);
    expect(result.stdout).toContain('14 of 14 implemented (automix, samix: a config with model.type "AutoMixup", not a mix_mode)');
  });
});
