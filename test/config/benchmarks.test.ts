import * as fs from 'node:fs';
import * as path from 'node:path';
import {BACKBONES, BENCHMARKS, getBenchmark} from '../../src/config/benchmarks';
import {isAutoMix, isMixUp} from '../../src/config/schema';
import {loadConfig} from '../../src/config/validate';
import {METHOD_NAMES} from '../../src/config/methods';

const ROOT = path.resolve(__dirname, '..', '..');
// the reference page sits beside the repository on the development machine; elsewhere this check is skipped (visibly)
const PAGE_FILE = path.resolve(ROOT, '..', 'shared', 'reference', 'mixup-fine-grained-benchmarks.txt');
const PAGE = fs.existsSync(PAGE_FILE) ? fs.readFileSync(PAGE_FILE, 'utf8') : '';
const itWithPage = PAGE ? it : it.skip;

describe('benchmark catalog', () => {
  it('covers the five reference datasets and the demo', () => {
    expect(BENCHMARKS.map((b) => b.name)).toEqual(['cub200', 'aircraft', 'inat2017', 'inat2018', 'places205', 'demo']);
  });

  it.each(BENCHMARKS.map((b) => [b.name, b]))('%s: names known methods, α for each, one result per backbone', (_name, bench) => {
    for (const method of bench.methods) {
      expect(METHOD_NAMES).toContain(method);
      expect(bench.alphas).toHaveProperty(method);
    }
    for (const row of Object.values(bench.reference)) expect(row).toHaveLength(bench.backbones.length);
    for (const key of bench.backbones) expect(Object.keys(BACKBONES)).toContain(key);
  });

  it.each(BENCHMARKS.flatMap((b) => [...b.backbones, ...(b.extraBackbones ?? [])].map((k) => [b.name, k])))('%s/%s: the base config exists and matches the catalog', (name, key) => {
    const bench = getBenchmark(name);
    const config = loadConfig(path.join(ROOT, 'configs', name, `${key}_mixups_CE_none.json`));
    if (!isMixUp(config)) throw new Error('expected a MixUpClassification base');
    expect(config.model.head.num_classes).toBe(bench.numClasses);
    expect(config.runner.max_epochs).toBe(bench.defaultEpochs);
    expect(config.optimizer.lr).toBe(bench.protocol.lr);
    expect(config.optimizer.weight_decay).toBe(bench.protocol.weightDecay);
    expect(config.data.imgs_per_gpu).toBe(bench.protocol.imgsPerGpu);
    // the reference batch (64 x 4 GPUs on iNat/Places) on one device: update_interval sums 4 batches into a step
    expect(config.data.imgs_per_gpu * (config.optimizer_config.update_interval ?? 1)).toBe(bench.protocol.imgsPerGpu * bench.protocol.gpus);
    expect(config.model.pretrained === null).toBe(bench.protocol.init === 'scratch');
    expect(config.model.backbone.depth).toBe(Number(/\d+/.exec(key)![0]));
    if (bench.protocol.init === 'torchvision') expect(config.model.pretrained).toBe(`torchvision://${key === 'r18' ? 'resnet18' : key === 'r50' ? 'resnet50' : 'resnext50_32x4d'}`);
    // an extra backbone (CUB-200/Aircraft r50) has OpenMixup's mixups_CE_none (+ PuzzleMix's soft-CE head), no learned-mixer base
    const extra = bench.extraBackbones?.includes(key as never) === true;
    for (const [method, variant] of Object.entries(bench.variants)) {
      expect(fs.existsSync(path.join(ROOT, 'configs', name, `${key}_${variant}.json`))).toBe(!(extra && ['automix', 'samix'].includes(method)));
    }
  });

  it.each(BENCHMARKS.flatMap((b) => b.backbones.flatMap((k) => ['automix', 'samix'].map((m) => [b.name, k, m]))))(
    '%s/%s: the %s base is an AutoMixup config matching the catalog',
    (name, key, method) => {
      const bench = getBenchmark(name);
      const config = loadConfig(path.join(ROOT, 'configs', name, `${key}_${bench.variants[method]}.json`));
      if (!isAutoMix(config)) throw new Error('expected an AutoMixup base');
      expect(config.model.alpha).toBe(bench.alphas[method]);
      const heads = [config.model.head_one, config.model.head_mix, ...(method === 'samix' ? [config.model.head_mix_k!] : [])];
      expect(heads.map((h) => h.num_classes)).toEqual(heads.map(() => bench.numClasses));
      expect(config.model.head_mix_k === undefined).toBe(method === 'automix');
      expect(config.model.mix_block.value_neck_cfg === null).toBe(method === 'automix');
      expect(config.runner.max_epochs).toBe(bench.demo ? 2 : bench.defaultEpochs);
      expect(config.optimizer.lr).toBe(bench.protocol.lr);
      expect(config.optimizer.weight_decay).toBe(bench.protocol.weightDecay);
      expect(config.data.imgs_per_gpu).toBe(bench.protocol.imgsPerGpu);
      expect(config.data.imgs_per_gpu * (config.optimizer_config.update_interval ?? 1)).toBe(bench.protocol.imgsPerGpu * bench.protocol.gpus);
      expect(config.model.pretrained === null).toBe(bench.protocol.init === 'scratch');
      expect(config.model.backbone.depth).toBe(Number(/\d+/.exec(key)![0]));
      expect(config.model.backbone.out_indices).toEqual([2, 3]);
      // OpenMixup: the Mix Block group at 10x the encoder's lr for fine-grained transfer, at the encoder's lr from scratch
      expect(config.optimizer.paramwise_options.mix_block.lr).toBe(bench.protocol.init === 'torchvision' ? 0.01 : 0.1);
    },
  );

  itWithPage('reproduces the α columns and results of the reference page', () => {
    // rows of the page look like "MixUp 0.2 78.39 84.58 79.52 85.18"; check the CUB-200 / Aircraft table row by row
    const cub = getBenchmark('cub200');
    const air = getBenchmark('aircraft');
    const rowOf = (label: string, fromLine: string): number[] => {
      const section = PAGE.slice(PAGE.indexOf(fromLine));
      const line = section.split('\n').find((l) => l.startsWith(`${label} `))!;
      return line.split(/\s+/).slice(1).map((v) => (v === '-' ? NaN : Number(v)));
    };
    const row = rowOf('ManifoldMix', 'Transfer Learning');
    expect([cub.alphas.manifoldmix, ...cub.reference.manifoldmix, ...air.reference.manifoldmix]).toEqual(row);
    const inat = rowOf('SaliencyMix', 'Large-scale');
    expect([getBenchmark('inat2017').alphas.saliencymix, ...getBenchmark('inat2017').reference.saliencymix, ...getBenchmark('inat2018').reference.saliencymix]).toEqual(inat);
    const places = rowOf('CutMix', 'Scenic Classification Dataset');
    expect([getBenchmark('places205').alphas.cutmix, ...getBenchmark('places205').reference.cutmix]).toEqual(places);
    expect(getBenchmark('inat2017').reference.puzzlemix[0]).toBeNull(); // "-" in the table
  });

  it('names the known datasets for an unknown one', () => {
    expect(() => getBenchmark('cub')).toThrow('unknown dataset "cub"; known datasets: cub200, aircraft, inat2017, inat2018, places205, demo');
  });
});
