import * as path from 'node:path';
import {formatConfig} from '../../src/config/format';
import {loadConfigFile} from '../../src/config/load';

describe('formatConfig', () => {
  it('writes JSON that parses back to the config, model first, short arrays on one line', () => {
    const config = loadConfigFile(path.resolve(__dirname, '../../configs/demo/r18_mixups_CE_none.json')) as any;
    const text = formatConfig(config);
    expect(JSON.parse(text)).toEqual(config);
    expect(text.startsWith('{\n  "model": {')).toBe(true);
    expect(text).toContain('"out_indices": [3]');
    expect(text).toContain('"mean": [0.1307, 0.1307, 0.1307]');
    const automix = loadConfigFile(path.resolve(__dirname, '../../configs/demo/automix.json')) as any;
    const automixText = formatConfig(automix);
    expect(JSON.parse(automixText)).toEqual(automix);
    expect(automixText).toContain('"out_indices": [2, 3]');
    expect(automixText).toContain('"paramwise_options": ["mix_block"]');
  });
});
