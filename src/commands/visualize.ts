/** `mixup visualize`: a PNG grid showing what each mixing method does to a pair of images. */
import * as path from 'node:path';
import {Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {selectBackend} from '../engine/backend';
import {MixupError, usageError} from '../errors';
import {checkOutput, writeFileAtomic} from '../io/write';
import {demoImages, folderImages, valSetImages} from '../render/images';
import {learnedNote, learnedRuns, type LearnedMixer} from '../render/learned';
import {loadLearnedMixer} from '../render/load-learned';
import {encodeImage, imageOutputFormat} from '../render/output';
import {visualizeMethods, type VisualizeResult} from '../render/visualize';

/** What `mixup visualize --json` prints: the drawn and skipped methods and the file written. */
export type VisualizeCommandResult = Omit<VisualizeResult, 'png'> & {out: string};

/** `mixup visualize`: see `src/render/visualize.ts`. */
export default class Visualize extends BaseCommand {
  static summary = 'Draw what mixing methods do: source pair, mixed image, mask and λ, one row per method.';
  static description = `Mixes a small batch (the 4 built-in demo pictures, the first 4 images of --images DIR, or with --val-images
CONFIG the first val image of each of the config's first 4 classes) with each
method of --methods, on the cpu backend with the same --seed for every method, and writes an image grid (PNG, JPEG or
WebP, by the extension of --out): one row per method
with source A, its partner B, the mixed result with λ (the share of A) and the mask (white = A). PuzzleMix and
AttentiveMix need a model; here they use a model-free stand-in (spectral-residual saliency), labelled in the picture.
ManifoldMix and AlignMix mix hidden features and are listed as skipped.
AutoMix and SAMix show the mask of a trained Mix Block: give the --config a run was trained with and a --checkpoint
of it (one pair per learned method, in the order of --methods); the masks are drawn for the pairs i -> i+1 at
λ = --lam (0.5), as OpenMixup's forward_vis.`;

  static examples = [
    {command: '<%= config.bin %> visualize --demo --methods mixup,cutmix,fmix --out mixed.png', description: 'built-in pictures'},
    {command: '<%= config.bin %> visualize --images data/CUB200/samples --methods saliencymix,resizemix --out cub.png --seed 3', description: 'your own images'},
    {
      command: '<%= config.bin %> visualize --demo --methods mixup,automix --config configs/demo/automix.json --checkpoint work_dirs/demo/automix/latest.safetensors --out automix.png',
      description: 'the learned masks of a trained AutoMix run (`mixup train configs/demo/automix.json` first)',
    },
    {
      command: '<%= config.bin %> visualize --val-images configs/demo/automix.json --methods automix --config configs/demo/automix.json --checkpoint work_dirs/demo/automix/latest.safetensors --out digits.png',
      description: 'the same masks on the val digits the run was trained on',
    },
  ];

  static flags = {
    methods: Flags.string({char: 'm', description: 'comma-separated method names (see `mixup methods`)', default: 'mixup,cutmix,saliencymix,fmix,resizemix,gridmix,smoothmix,attentivemix,puzzlemix'}),
    images: Flags.string({char: 'i', description: 'folder whose first 4 images (by name) are mixed', exclusive: ['demo', 'val-images']}),
    demo: Flags.boolean({description: 'use 4 built-in synthetic pictures (no files needed)', exclusive: ['images', 'val-images']}),
    'val-images': Flags.string({description: "a config: mix the first val image of each of its first 4 classes (e.g. the digits a demo run was trained on)", exclusive: ['images', 'demo']}),
    out: Flags.string({char: 'o', description: 'image to write: .png, .jpg/.jpeg or .webp (the format follows the extension)', required: true}),
    seed: Flags.integer({description: 'seed of the random draws (the same for every method)', default: 0}),
    alpha: Flags.string({description: 'Beta α of the draws', default: '1'}),
    size: Flags.integer({description: 'side of each tile in pixels', default: 160, min: 32, max: 512}),
    force: Flags.boolean({description: 'overwrite --out if it exists'}),
    config: Flags.string({description: 'learned methods (automix, samix): the config the run was trained with; once per learned method, in --methods order', multiple: true}),
    checkpoint: Flags.string({description: 'learned methods: a checkpoint of that run (<work_dir>/latest.safetensors); once per learned method, in --methods order', multiple: true}),
    lam: Flags.string({description: 'learned methods: λ of the drawn masks, in (0, 1)', default: '0.5'}),
  };

  async run(): Promise<VisualizeCommandResult> {
    const {flags} = await this.parse(Visualize);
    if (!flags.demo && !flags.images && !flags['val-images']) throw new MixupError('usage', 'give --images DIR, --val-images CONFIG or --demo');
    const alpha = Number(flags.alpha);
    if (!(alpha > 0)) throw new MixupError('usage', `--alpha must be a number > 0, got "${flags.alpha}"`);
    const out = path.resolve(flags.out);
    const format = imageOutputFormat(flags.out);
    checkOutput(out, flags.force);
    const methods = flags.methods.split(',').map((m) => m.trim()).filter(Boolean);
    const lam = Number(flags.lam);
    if (!(lam > 0 && lam < 1)) throw usageError(`--lam must be a number in (0, 1), got "${flags.lam}"`);
    const runs = learnedRuns(methods, flags.config ?? [], flags.checkpoint ?? []);
    await selectBackend('cpu');
    const images = flags.demo ? await demoImages(flags.size) : flags.images ? await folderImages(flags.images, flags.size) : await valSetImages(flags['val-images']!, flags.size);
    const learned = new Map<string, LearnedMixer>();
    let rendered: VisualizeResult;
    try {
      for (const run of runs) learned.set(run.method, loadLearnedMixer(run.method, run.config, run.checkpoint, flags.seed));
      rendered = await visualizeMethods(methods, images, flags.seed, alpha, {learned, lam});
    } finally {
      for (const mixer of learned.values()) mixer.dispose();
    }
    const {png, ...result} = rendered;
    writeFileAtomic(out, await encodeImage(png, format), {overwrite: flags.force});
    for (const m of result.methods) {
      const extra = m.standIn ? `  (${m.standIn})` : m.learned ? `  mean M = ${m.maskMean!.toFixed(3)}  (${learnedNote(m.learned)})` : '';
      this.log(`${m.method.padEnd(13)} λ = ${m.lam.toFixed(3)}  A = ${m.sources[0]}, B = ${m.sources[1]}${extra}`);
    }
    for (const s of result.skipped) this.log(`${s.method.padEnd(13)} skipped: ${s.reason}`);
    this.log(`wrote ${flags.out} (${result.width}×${result.height})`);
    return {...result, out};
  }
}
