import {isMixupError} from '../../src/errors';
import {readFileSync} from 'node:fs';
import * as path from 'node:path';
import {MixRegistry, MixSchedule, parseLossConfig, registry, type ModelMixConfig} from '../../src/mixups';
import {REPO_ROOT} from '../helpers/cli';
import {Rng} from '../../src/rng';
import {makeBatch, useCpu} from './helpers';

beforeAll(useCpu);

/** A validated model's mixing fields (`loadConfig` fills mix_prob, mix_repeat and mix_args in every config). */
const model = (fields: Record<string, unknown>) => ({mix_mode: 'mixup', alpha: 1, mix_prob: null, mix_repeat: 1, mix_args: {}, ...fields}) as ModelMixConfig;
const build = (fields: Record<string, unknown>) => new MixSchedule(model(fields), registry);

describe('MixSchedule', () => {
  test('uniform choice among the modes, each with its own α', async () => {
    const s = build({mix_mode: ['mixup', 'cutmix'], alpha: [0.2, 1]});
    const rng = new Rng(1);
    const counts: Record<string, number> = {mixup: 0, cutmix: 0};
    for (let i = 0; i < 400; i++) {
      const [pick] = s.pick(rng);
      counts[pick.name]++;
      expect(pick.alpha).toBe(pick.name === 'mixup' ? 0.2 : 1);
    }
    expect(counts.mixup).toBeGreaterThan(160);
    expect(counts.cutmix).toBeGreaterThan(160);
  });

  test('mix_prob weights the choice', async () => {
    const s = build({mix_mode: ['mixup', 'cutmix'], alpha: 1, mix_prob: [0.9, 0.1]});
    const rng = new Rng(2);
    let mixup = 0;
    for (let i = 0; i < 500; i++) if (s.pick(rng)[0].name === 'mixup') mixup++;
    expect(mixup / 500).toBeGreaterThan(0.85);
    expect(mixup / 500).toBeLessThan(0.95);
  });

  test('mix_args are merged over the catalog defaults and validated once', async () => {
    const s = build({mix_mode: ['fmix', 'puzzlemix'], alpha: [1, 1], mix_args: {fmix: {decay_power: 2}}});
    expect(s.entries[0].args).toEqual({decay_power: 2, size: [224, 224], max_soft: 0, reformulate: false});
    expect(s.entries[1].args.n_labels).toBe(3);
    expect(s.needs).toEqual(['inputGradient']);
  });

  test('mix_repeat gives one output per repeat; vanilla leaves the candidates once picked', async () => {
    const s = build({mix_mode: ['vanilla', 'mixup'], alpha: [1, 1], mix_repeat: 2});
    const rng = new Rng(3);
    for (let i = 0; i < 30; i++) {
      const picks = s.pick(rng).map((p) => p.name);
      expect(picks.length).toBe(2);
      if (picks[0] === 'vanilla') expect(picks[1]).toBe('mixup');
    }
    expect((await s.mix(makeBatch(2), rng)).length).toBe(2);
  });

  test.each([
    [{mix_mode: 'mixupp'}, 'unknown mix_mode "mixupp"; known methods: vanilla, mixup'],
    [{mix_args: {foo: {}}}, 'model.mix_args.foo: unknown method "foo"'],
    [{mix_mode: 'fmix', mix_args: {fmix: {decay_powr: 3}}}, 'model.mix_args.fmix has unknown field "decay_powr"'],
    [{mix_mode: 'resizemix', mix_args: {resizemix: {use_alpha: 'yes'}}}, 'model.mix_args.resizemix.use_alpha must be true or false, got "yes"'],
  ])('rejects %j', (model, message) => {
    expect(() => build(model)).toThrow(message);
  });

  test('the reference model template builds for every implemented mode, and its loss dicts are accepted', async () => {
    const model = JSON.parse(readFileSync(path.join(REPO_ROOT, 'templates/models/mixups_CE_none.json'), 'utf8')).model;
    const soft = JSON.parse(readFileSync(path.join(REPO_ROOT, 'templates/models/puzzlemix_CE_soft.json'), 'utf8')).model;
    for (const name of registry.names().filter((n) => registry.get(n).implemented && !registry.get(n).learned)) {
      expect(new MixSchedule({...model, mix_mode: name}, registry).entries[0].name).toBe(name);
    }
    for (const cfg of [model.head.loss, soft.head.loss]) expect(() => parseLossConfig(cfg)).not.toThrow();
  });

  test('a learned mixer as a mix_mode is a usage error pointing at the AutoMixup configs', async () => {
    let error: unknown;
    try {
      build({mix_mode: ['mixup', 'samix'], alpha: 2});
    } catch (e) {
      error = e;
    }
    expect(isMixupError(error) && error.category).toBe('usage');
    expect(String(error)).toContain('model.mix_mode: "samix" is a learned mixer (a Mix Block trained with the classifier): it is its own classifier type, not a mix_mode of "MixUpClassification"; use a config with model.type "AutoMixup", e.g. configs/cub200/r18_samix.json or configs/demo/samix.json');
  });

  test('a registered but not implemented mode fails when the schedule is built', async () => {
    const local = new MixRegistry();
    local.register(registry.get('mixup'));
    local.register({name: 'gridmix', implemented: false, mix: () => {
      throw new Error('unreachable');
    }});
    let error: unknown;
    try {
      new MixSchedule(model({mix_mode: 'gridmix'}), local);
    } catch (e) {
      error = e;
    }
    expect(isMixupError(error) && error.category).toBe('notImplemented');
    expect(String(error)).toMatch(/model\.mix_mode: "gridmix" is registered but not implemented; usable as mix_mode: mixup$/);
  });
});
