/** Tiny Python config trees for the importer's tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Root of the OpenMixup fixtures (test/fixtures/openmixup/configs/classification). */
export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'openmixup', 'configs', 'classification');

/** A fresh temp directory. */
export const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-import-'));

/** Writes `files` (relative path -> text) under `dir`; returns `dir`. */
export function writeTree(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), {recursive: true});
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A complete, valid OpenMixup-style config (Python) on the Synthetic source, to which a test adds lines. */
export const TINY_CONFIG = `
model = dict(type='MixUpClassification', pretrained=None, alpha=1.0, mix_mode='mixup', mix_args=dict(), mix_prob=None, mix_repeat=1,
    backbone=dict(type='ResNet', depth=18, out_indices=(3,), base_channels=8),
    head=dict(type='ClsHead', num_classes=4, in_channels=64, with_avg_pool=True, multi_label=False,
              loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
source = dict(type='Synthetic', num_classes=4, size=16, num_samples=8)
data = dict(imgs_per_gpu=4, workers_per_gpu=0, drop_last=True,
    train=dict(type='ClassificationDataset', data_source=source, pipeline=[dict(type='RandomHorizontalFlip')]),
    val=dict(type='ClassificationDataset', data_source=source, pipeline=[]))
optimizer = dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4)
optimizer_config = dict(grad_clip=None)
lr_config = dict(policy='CosineAnnealing', min_lr=0)
runner = dict(type='EpochBasedRunner', max_epochs=1)
evaluation = dict(initial=False, interval=1, imgs_per_gpu=4, workers_per_gpu=0, eval_param=dict(topk=(1, 2)))
checkpoint_config = dict(interval=1, max_keep_ckpts=1)
log_config = dict(interval=1)
`;
