import * as fs from 'node:fs';
import * as path from 'node:path';
import {DATA_LAYOUTS, prepareData} from '../../src/data/prepare';
import {getBenchmark} from '../../src/config/benchmarks';
import {planGeneration} from '../../src/config/generate';
import {readImageList} from '../../src/data/list-file';
import {MixupError} from '../../src/errors';
import {cleanup, makeAircraft, makeCub, makeImageFolder, makeINat, makePlaces, tempDir, writeImage} from './helpers';

let dir: string;
beforeAll(() => (dir = tempDir()));
afterAll(() => cleanup(dir));

const lines = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n');

describe('prepareData', () => {
  it('cub200: train/test lists with 0-based labels, classes.txt and counts per split and class', async () => {
    const root = await makeCub(dir, 3, 2, 1);
    const out = path.join(dir, 'meta', 'CUB200');
    const r = prepareData({dataset: 'cub200', root, out});
    expect(r.splits).toEqual([
      {split: 'train', file: path.join(out, 'train_labeled.txt'), count: 6},
      {split: 'test', file: path.join(out, 'test_labeled.txt'), count: 3},
    ]);
    expect(lines(path.join(out, 'test_labeled.txt'))).toEqual(['001.Bird_1/Bird_1_2.jpg 0', '002.Bird_2/Bird_2_2.jpg 1', '003.Bird_3/Bird_3_2.jpg 2']);
    expect(lines(path.join(out, 'classes.txt'))).toEqual(['001.Bird_1', '002.Bird_2', '003.Bird_3']);
    expect(r.classes[1]).toEqual({label: 1, name: '002.Bird_2', counts: {train: 2, test: 1}});
    expect([r.numClasses, r.imageRoot, r.splitor]).toEqual([3, path.join(root, 'images'), ' ']);
    // the written list reads back through the ImageList reader, and every path exists under imageRoot
    const back = readImageList(path.join(out, 'train_labeled.txt'), ' ');
    expect(back.map((s) => s.label)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(back.every((s) => fs.existsSync(path.join(r.imageRoot, s.file)))).toBe(true);
  });

  it('keeps existing files unless force, and writes nothing when one exists', async () => {
    const root = await makeCub(path.join(dir, 'c2'), 2, 1, 1);
    const out = path.join(dir, 'meta2');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'test_labeled.txt'), 'mine\n');
    expect(() => prepareData({dataset: 'cub200', root, out})).toThrow(`${path.join(out, 'test_labeled.txt')} already exists; use --force to overwrite`);
    expect(fs.readdirSync(out)).toEqual(['test_labeled.txt']);
    expect(fs.readFileSync(path.join(out, 'test_labeled.txt'), 'utf8')).toBe('mine\n');
    prepareData({dataset: 'cub200', root, out, force: true});
    expect(lines(path.join(out, 'test_labeled.txt'))).toHaveLength(2);
  });

  it('aircraft: trainval and test lists of variants', async () => {
    const root = await makeAircraft(dir);
    const out = path.join(dir, 'meta', 'Aircrafts');
    const r = prepareData({dataset: 'aircraft', root, out});
    expect(r.splits.map((s) => [s.split, path.basename(s.file), s.count])).toEqual([['trainval', 'train_labeled.txt', 6], ['test', 'test_labeled.txt', 6]]);
    expect(lines(path.join(out, 'test_labeled.txt'))[5]).toMatch(/^\d+\.jpg 2$/);
    expect(r.classes.map((c) => c.name)).toEqual(['707-320', 'A300B4', 'Cessna 172']);
  });

  it('inat2017: comma-separated lists relative to the root', async () => {
    const root = await makeINat(dir, 2017);
    const out = path.join(dir, 'meta', 'iNaturalist2017');
    const r = prepareData({dataset: 'inat2017', root, out});
    expect(r.splits.map((s) => [path.basename(s.file), s.count])).toEqual([['train2017_classification.txt', 6], ['val2017_classification.txt', 3]]);
    expect(lines(path.join(out, 'val2017_classification.txt'))[2]).toBe('train_val_images/Plantae/Species 2/9.jpg,2');
    expect(() => prepareData({dataset: 'inat2018', root, out})).toThrow(`${path.join(root, 'train2018.json')}: cannot read iNaturalist annotation file: file not found`);
  });

  it('places205 and imagefolder', async () => {
    const places = prepareData({dataset: 'places205', root: await makePlaces(dir), out: path.join(dir, 'meta', 'Place205')});
    expect(places.splits.map((s) => [path.basename(s.file), s.count])).toEqual([['train_labeled_places205_full.txt', 2], ['val_labeled_places205.txt', 2]]);
    expect(places.classes.map((c) => c.name)).toEqual(['abbey', 'bridge/outdoor']);
    const folder = prepareData({dataset: 'imagefolder', root: await makeImageFolder(dir, ['train', 'val'], ['b', 'a'], 2), out: path.join(dir, 'meta', 'folder')});
    expect(folder.splits.map((s) => [s.split, s.count])).toEqual([['train', 4], ['val', 4]]);
    expect(lines(path.join(dir, 'meta', 'folder', 'val_labeled.txt'))).toEqual(['val/a/0.png 0', 'val/a/1.png 0', 'val/b/0.png 1', 'val/b/1.png 1']);
    expect(folder.imageRoot).toBe(path.join(dir, 'folder'));
    expect(fs.existsSync(path.join(folder.imageRoot, 'val/b/1.png'))).toBe(true);
  });

  it('rejects an unknown dataset', () => {
    expect(() => prepareData({dataset: 'cifar10', root: dir, out: dir})).toThrow('unknown dataset "cifar10"; known: cub200, aircraft, inat2017, inat2018, places205, imagefolder');
  });
});

describe('prepareData refuses control characters in names (they would corrupt the one-entry-a-line lists)', () => {
  it('a newline in an image file name: clear error, exit code 3, nothing written', async () => {
    const root = await makeImageFolder(path.join(dir, 'nl'), ['train'], ['cat', 'dog'], 1);
    await writeImage(path.join(root, 'train', 'cat', 'evil\nx 0.png'), 8, 8, [1, 2, 3], 'png');
    const out = path.join(dir, 'meta-nl');
    let error: unknown;
    try {
      prepareData({dataset: 'imagefolder', root, out});
    } catch (e) {
      error = e;
    }
    expect((error as MixupError).exitCode).toBe(3);
    expect((error as Error).message).toBe(
      `${JSON.stringify(path.join(root, 'train', 'cat/evil\nx 0.png'))}: image path "train/cat/evil\\nx 0.png" (train) contains the control character U+000A; list files hold one entry per line, so rename the file`,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a tab in a class folder name, an escape in CUB images.txt', async () => {
    const root = await makeImageFolder(path.join(dir, 'tab'), ['train'], ['cat\tdog', 'fox'], 1);
    expect(() => prepareData({dataset: 'imagefolder', root, out: path.join(dir, 'meta-tab')})).toThrow('contains the control character U+0009');
    const cub = await makeCub(path.join(dir, 'esc'), 2, 1, 1);
    const images = path.join(cub, 'images.txt');
    fs.writeFileSync(images, fs.readFileSync(images, 'utf8').replace('Bird_1_0.jpg', 'Bird_1_\u001b[2J.jpg'));
    expect(() => prepareData({dataset: 'cub200', root: cub, out: path.join(dir, 'meta-esc')})).toThrow(
      `${path.join(cub, 'image_class_labels.txt')}:1: image path "001.Bird_1/Bird_1_\\u001b[2J.jpg" (train) contains the control character U+001B`,
    );
  });
});

describe('prepareData defaults: the one layout per dataset (OpenMixup data/) that the generated configs read', () => {
  /** Each fixture moved to its place in a data directory `data`, as docs/data.md says to unpack it. */
  async function placeAll(data: string): Promise<void> {
    const work = path.join(data, '..', 'unpacked');
    const move = (from: string, to: string) => {
      fs.mkdirSync(path.dirname(to), {recursive: true});
      fs.renameSync(from, to);
    };
    move(await makeCub(work, 2, 1, 1), path.join(data, DATA_LAYOUTS.cub200.dir));
    move(path.join(await makeAircraft(work), 'data'), path.join(data, DATA_LAYOUTS.aircraft.dir));
    move(await makeINat(work, 2017), path.join(data, DATA_LAYOUTS.inat2017.dir));
    const inat2018 = await makeINat(path.join(work, '18'), 2018);
    move(inat2018, path.join(data, DATA_LAYOUTS.inat2018.dir));
    move(await makePlaces(work), path.join(data, DATA_LAYOUTS.places205.dir));
  }

  it.each(Object.keys(DATA_LAYOUTS))('%s: list files and image root are exactly what gen-configs --data-root writes into the configs', async (dataset) => {
    const data = path.join(dir, 'layout', 'data');
    if (!fs.existsSync(data)) await placeAll(data);
    const r = prepareData({dataset, dataRoot: data});
    const layout = DATA_LAYOUTS[dataset as keyof typeof DATA_LAYOUTS];
    expect([r.root, r.out, r.imageRoot, r.configRoot, r.matchesConfigs]).toEqual([path.join(data, layout.dir), path.join(data, layout.meta), path.join(data, layout.images), path.join(data, layout.images), true]);
    const plan = planGeneration({dataset, backbones: [getBenchmark(dataset).backbones[0]], methods: ['vanilla'], epochs: [1], overrides: {dataRoot: data}});
    const config = JSON.parse(plan.files.find((f) => f.kind === 'config')!.content);
    const [train, val] = r.splits;
    expect(config.data.train.data_source).toMatchObject({type: 'ImageList', root: `${r.imageRoot}/`, list_file: train.file, splitor: r.splitor});
    expect(config.data.val.data_source).toMatchObject({type: 'ImageList', root: `${r.imageRoot}/`, list_file: val.file, splitor: r.splitor});
    // and with the default data directory, the templates' own paths are the layout's
    const shipped = JSON.parse(planGeneration({dataset, backbones: [getBenchmark(dataset).backbones[0]], methods: ['vanilla'], epochs: [1]}).files[0].content);
    expect(shipped.data.train.data_source.root).toBe(`data/${layout.images}/`);
    expect(shipped.data.train.data_source.list_file).toBe(`data/${layout.meta}/${path.basename(train.file)}`);
  });

  it('a missing default root is a data error with the commands that unpack the archive there; nothing written', () => {
    const data = path.join(dir, 'empty-data');
    let error: MixupError | undefined;
    try {
      prepareData({dataset: 'cub200', dataRoot: data});
    } catch (e) {
      error = e as MixupError;
    }
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toBe(`${path.join(data, 'CUB200/CUB_200/images.txt')} not found: the cub200 configs read the dataset from ${path.join(data, 'CUB200/CUB_200')}/ (data directory ${data})`);
    expect(error?.suggestions[0]).toBe(`Unpack the official archives there: mkdir -p ${data}/CUB200 && tar xzf CUB_200_2011.tgz -C ${data}/CUB200 && mv ${data}/CUB200/CUB_200_2011 ${data}/CUB200/CUB_200`);
    expect(fs.existsSync(data)).toBe(false);
  });

  it('an explicit --root elsewhere works but says the configs will not find the images', async () => {
    const root = await makeCub(path.join(dir, 'elsewhere'), 2, 1, 1);
    const r = prepareData({dataset: 'cub200', root, out: path.join(dir, 'elsewhere-meta')});
    expect([r.imageRoot, r.configRoot, r.matchesConfigs]).toEqual([path.join(root, 'images'), path.join('data', 'CUB200/CUB_200/images'), false]);
    expect(() => prepareData({dataset: 'imagefolder', out: dir})).toThrow('prepare-data --dataset imagefolder needs --root (the class-per-folder tree) and --out (where the lists go)');
  });
});
