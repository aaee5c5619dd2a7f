import * as path from 'node:path';
import {configName, methodDirName, methodOfDirName, parseConfigName, workDirOf} from '../../src/config/run-names';

describe('run names (written by gen-configs, read by the summaries)', () => {
  it('a generated name reads back as what it was made from', () => {
    expect(configName({backbone: 'r18', variant: 'mixups_CE_none', alpha: 0.2, epochs: 100})).toBe('r18_mixups_CE_none_alpha0_2_ep100');
    expect(parseConfigName('r18_mixups_CE_none_alpha0_2_ep100')).toEqual({backbone: 'r18', alpha: '0.2', epochs: 100});
    expect(configName({backbone: 'rx50', variant: 'puzzlemix_CE_soft', alpha: 1, epochs: 200})).toBe('rx50_puzzlemix_CE_soft_alpha1_ep200');
    expect(parseConfigName('rx50_puzzlemix_CE_soft_alpha1_ep200')).toEqual({backbone: 'rx50', method: 'puzzlemix', alpha: '1', epochs: 200});
    expect(parseConfigName(configName({backbone: 'r50', variant: 'mixups_CE_none', alpha: null, epochs: 4}))).toEqual({backbone: 'r50', epochs: 4});
  });

  it('reads OpenMixup\'s names too', () => {
    expect(parseConfigName('r18_mixups_CE_none_4xb64_alpha0_2_ep100')).toEqual({backbone: 'r18', alpha: '0.2', epochs: 100});
    expect(parseConfigName('r50_automix_100ep')).toEqual({backbone: 'r50', method: 'automix', epochs: 100});
  });

  it('method directories round-trip, mixed policies included', () => {
    expect(methodDirName('cutmix')).toBe('mix_modecutmix');
    expect(methodOfDirName(methodDirName('cutmix'))).toBe('cutmix');
    expect(methodOfDirName('mix_modemixup+cutmix')).toBe('mixup+cutmix');
    expect(methodOfDirName('cutmix')).toBeUndefined();
  });
});

describe('workDirOf (mixup train without --work-dir, and the runs of generated scripts)', () => {
  const cwd = path.resolve('/tmp/project');
  it('drops a leading configs/ and .json; keeps other paths under cwd whole', () => {
    expect(workDirOf('configs/generated/demo/a.json', {cwd})).toBe('work_dirs/generated/demo/a');
    expect(workDirOf(path.join(cwd, 'configs/demo/r18.JSON'), {cwd})).toBe('work_dirs/demo/r18');
    // gen-configs --out gen: the script trains where `mixup train gen/demo/a.json` would
    expect(workDirOf(path.join(cwd, 'gen/demo/a.json'), {cwd, root: path.join(cwd, 'gen')})).toBe('work_dirs/gen/demo/a');
  });

  it('outside cwd: the path under root (--out), else the file name', () => {
    expect(workDirOf('/elsewhere/out/demo/a.json', {cwd, root: '/elsewhere/out'})).toBe('work_dirs/demo/a');
    expect(workDirOf('/elsewhere/out/demo/a.json', {cwd})).toBe('work_dirs/a');
    expect(workDirOf('../x/configs/b.json', {cwd})).toBe('work_dirs/b');
  });
});
