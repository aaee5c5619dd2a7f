/** `mixup convert-weights IN OUT`: PyTorch `.pth` <-> safetensors, torchvision names and layouts on the PyTorch side. */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../cli/base-command';
import {convertWeights, type ConvertWeightsResult} from '../engine/convert-weights';

/** `mixup convert-weights`: see `src/engine/convert-weights.ts`. */
export default class ConvertWeights extends BaseCommand {
  static summary = 'Convert weights between PyTorch (.pth/.pt) and safetensors, both ways, without Python.';
  static description = `The direction follows the extensions.

.pth/.pt -> .safetensors: a state dict (torch.save(model.state_dict(), f)) or an mmcv/OpenMixup checkpoint ({meta, state_dict, optimizer}), in the zip format of torch >= 1.6 or the legacy one. DataParallel's "module." and OpenMixup's "backbone."/"head." prefixes are removed, so the names are torchvision's and the file works as model.pretrained (which also reads the .pth itself). Pickles are read by a safe unpickler that only accepts the globals torch uses to rebuild tensors; anything else is refused, naming the global.

.safetensors -> .pth: a weight file as it is, or a checkpoint of \`mixup train\` (<work_dir>/latest.safetensors) as a torchvision state dict (conv kernels OIHW, fc [out, in], num_batches_tracked added) that torchvision.models.resnet18(num_classes=N).load_state_dict(torch.load(OUT)) accepts; --mmcv for OpenMixup's tools/test.py.

OUT is never replaced without --force; the write is atomic.`;

  static examples = [
    {command: '<%= config.bin %> convert-weights ~/.cache/torch/hub/checkpoints/resnet18-f37072fd.pth ~/.cache/mixup/weights/resnet18.safetensors', description: 'torchvision weights as safetensors (training needs no conversion: torchvision://resnet18 reads the .pth)'},
    {command: '<%= config.bin %> convert-weights epoch_200.pth r18_cub.safetensors --json', description: 'an OpenMixup checkpoint, machine-readable summary'},
    {command: '<%= config.bin %> convert-weights work_dirs/cub200/r18/latest.safetensors r18_cub.pth', description: 'a trained run, for evaluation in PyTorch (torchvision names)'},
    {command: '<%= config.bin %> convert-weights work_dirs/cub200/r18/latest.safetensors r18_cub_mmcv.pth --mmcv', description: "the same for OpenMixup's tools/test.py"},
  ];

  static flags = {
    force: Flags.boolean({description: 'overwrite OUT if it exists', default: false}),
    mmcv: Flags.boolean({description: "safetensors -> .pth: write an mmcv checkpoint {meta, state_dict} with OpenMixup's names (backbone.*, head.fc.*), for OpenMixup's tools/test.py", default: false}),
  };
  static args = {
    in: Args.string({required: true, description: 'the file to read: .pth/.pt (PyTorch: the zip format of torch >= 1.6 or the legacy one) or .safetensors'}),
    out: Args.string({required: true, description: 'the file to write: .safetensors or .pth/.pt (the other format)'}),
  };

  async run(): Promise<ConvertWeightsResult> {
    const {args, flags} = await this.parse(ConvertWeights);
    const result = convertWeights(args.in, args.out, {force: flags.force, mmcv: flags.mmcv});
    const dtypes = Object.entries(result.dtypes).map(([d, n]) => `${n} ${d}`).join(', ');
    this.log(`${result.input} (${result.inputKind}) -> ${result.output} (${result.outputFormat})`);
    this.log(`  ${result.tensors} tensors (${dtypes}), ${result.values.toLocaleString('en-US')} floating-point values`);
    if (result.renamed.length > 0) this.log(`  prefixes removed: ${result.renamed.join(', ')}`);
    if (result.transposed > 0) this.log(`  ${result.transposed} kernels transposed to torch layout (conv OIHW, fc [out, in])`);
    if (result.added > 0) this.log(`  ${result.added} num_batches_tracked added`);
    if (result.dropped.length > 0) this.log(`  not converted: ${result.dropped.join(', ')}`);
    return result;
  }
}
