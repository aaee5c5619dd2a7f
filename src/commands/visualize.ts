/** `mixup visualize`: a PNG grid showing what each mixing method does to a pair of images. */
import {promises as fs} from 'node:fs';
import * as path from 'node:path';
import {Flags} from '@oclif/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {BaseCommand} from '../cli/base-command';
import {MixupError} from '../errors';
import {demoImages, folderImages} from '../render/images';
import {visualizeMethods, type VisualizeResult} from '../render/visualize';

/** What `mixup visualize --json` prints: the drawn and skipped methods and the file written. */
export type VisualizeCommandResult = Omit<VisualizeResult, 'png'> & {out: string};

/** `mixup visualize`: see `src/render/visualize.ts`. */
export default class Visualize extends BaseCommand {
  static summary = 'Draw what mixing methods do: source pair, mixed image, mask and λ, one row per method.';
  static description = `Mixes a small batch (the 4 built-in demo pictures, or the first 4 images of --images DIR) with each
method of --methods, on the cpu backend with the same --seed for every method, and writes a PNG grid: one row per method
with source A, its partner B, the mixed result with λ (the share of A) and the mask (white = A). PuzzleMix and
AttentiveMix need a model; here they use a model-free stand-in (spectral-residual saliency), labelled in the picture.
ManifoldMix and AlignMix mix hidden features and are listed as skipped.`;

  static examples = [
    {command: '<%= config.bin %> visualize --demo --methods mixup,cutmix,fmix --out mixed.png', description: 'built-in pictures'},
    {command: '<%= config.bin %> visualize --images data/CUB200/samples --methods saliencymix,resizemix --out cub.png --seed 3', description: 'your own images'},
  ];

  static flags = {
    methods: Flags.string({char: 'm', description: 'comma-separated method names (see `mixup methods`)', default: 'mixup,cutmix,saliencymix,fmix,resizemix,gridmix,smoothmix,attentivemix,puzzlemix'}),
    images: Flags.string({char: 'i', description: 'folder whose first 4 images (by name) are mixed', exclusive: ['demo']}),
    demo: Flags.boolean({description: 'use 4 built-in synthetic pictures (no files needed)', exclusive: ['images']}),
    out: Flags.string({char: 'o', description: 'PNG file to write', required: true}),
    seed: Flags.integer({description: 'seed of the random draws (the same for every method)', default: 0}),
    alpha: Flags.string({description: 'Beta α of the draws', default: '1'}),
    size: Flags.integer({description: 'side of each tile in pixels', default: 160, min: 32, max: 512}),
    force: Flags.boolean({description: 'overwrite --out if it exists'}),
  };

  async run(): Promise<VisualizeCommandResult> {
    const {flags} = await this.parse(Visualize);
    if (!flags.demo && !flags.images) throw new MixupError('usage', 'give --images DIR or --demo');
    const alpha = Number(flags.alpha);
    if (!(alpha > 0)) throw new MixupError('usage', `--alpha must be a number > 0, got "${flags.alpha}"`);
    const out = path.resolve(flags.out);
    const exists = await fs.stat(out).then(() => true, () => false);
    if (exists && !flags.force) throw new MixupError('io', `--out ${flags.out} exists; use --force to overwrite it`);
    const methods = flags.methods.split(',').map((m) => m.trim()).filter(Boolean);
    await tf.setBackend('cpu');
    const images = flags.demo ? await demoImages(flags.size) : await folderImages(flags.images!, flags.size);
    const {png, ...result} = await visualizeMethods(methods, images, flags.seed, alpha);
    const tmp = `${out}.tmp-${process.pid}`;
    await fs.writeFile(tmp, png);
    await fs.rename(tmp, out);
    for (const m of result.methods) this.log(`${m.method.padEnd(13)} λ = ${m.lam.toFixed(3)}  A = ${m.sources[0]}, B = ${m.sources[1]}${m.standIn ? `  (${m.standIn})` : ''}`);
    for (const s of result.skipped) this.log(`${s.method.padEnd(13)} skipped: ${s.reason}`);
    this.log(`wrote ${flags.out} (${result.width}×${result.height})`);
    return {...result, out};
  }
}
