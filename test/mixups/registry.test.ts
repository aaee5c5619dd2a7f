/** The learned mixers in the registry: implemented by the AutoMixup classifier, refused as a mix_mode. */
import {isMixupError} from '../../src/errors';
import {registry} from '../../src/mixups';
import {Rng} from '../../src/rng';
import {makeBatch, useCpu} from './helpers';

beforeAll(useCpu);

describe('learned mixers', () => {
  test.each(['automix', 'samix'])('%s is registered as implemented and learned; mix/parseArgs explain the AutoMixup config', (name) => {
    const m = registry.get(name);
    expect([m.implemented, m.learned]).toEqual([true, true]);
    for (const call of [() => m.mix(makeBatch(), {rng: new Rng(0), alpha: 2, args: {}}), () => m.parseArgs!({})]) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(isMixupError(error) && error.category).toBe('usage');
      expect(String(error)).toContain(`model.mix_mode: "${name}" is a learned mixer`);
      expect(String(error)).toContain(`use a config with model.type "AutoMixup", e.g. configs/cub200/r18_${name}.json or configs/demo/${name}.json`);
    }
  });

  test('no other method is learned', () => {
    expect(registry.names().filter((n) => registry.get(n).learned)).toEqual(['automix', 'samix']);
  });
});
