/** `mixup train` / `mixup test` of AutoMixup configs end to end on tiny generated data: logs, checkpoints, resume, summary. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {readCheckpoint, disposeCheckpoint} from '../../src/engine/checkpoint';
import {testRun, trainRun} from '../../src/engine/run';
import {summarize} from '../../src/summary/summarize';
import {jsonLogs, readJsonLog, tmpDir, writeTinyAutoMixConfig} from './helpers';

const quiet = {print: () => undefined, progress: 'none' as const};
const VAL_KEYS = ['acc_mix_k_top1', 'acc_mix_k_top5', 'acc_one_k_top1', 'acc_one_k_top5', 'acc_mix_q_top1', 'acc_mix_q_top5', 'acc_one_q_top1', 'acc_one_q_top5'];

/** SAMix's Mix Block on the tiny config: λ multiplied with residual and rescale, x_qk_concat, a ConvNeck value (BN + dropout), η-balanced k loss. */
const SAMIX = {
  model: {
    mix_block: {
      unsampling_mode: ['bilinear'], lam_concat: false, lam_mul: 1, lam_residual: true, lam_mul_k: 1, x_qk_concat: true, mask_loss_mode: 'L1+Variance',
      value_neck_cfg: {type: 'ConvNeck', in_channels: 16, hid_channels: 8, out_channels: 1, num_layers: 2, kernel_size: 1, with_last_bn: false, norm_cfg: {type: 'BN'}, with_last_dropout: 0.1, with_avg_pool: false, with_residual: false},
    },
    head_mix_k: {type: 'ClsMixupHead', with_avg_pool: true, multi_label: true, in_channels: 32, num_classes: 6, loss: {type: 'CrossEntropyLoss', use_soft: true, use_mix_decouple: true, eta_weight: 0.1, loss_weight: 1}},
  },
};

describe('trainRun with an AutoMixup model', () => {
  it('logs the AutoMix train and val keys, checkpoints every group, and test reproduces the final val accuracies', async () => {
    const dir = tmpDir();
    const config = writeTinyAutoMixConfig(dir);
    const workDir = path.join(dir, 'automix');
    const result = await trainRun({configPath: config, workDir, ...quiet});
    expect(result.status).toBe('trained');
    const records = readJsonLog(jsonLogs(workDir)[0]);
    const train = records.filter((r) => r.mode === 'train');
    const val = records.filter((r) => r.mode === 'val');
    expect(train.map((r) => [r.epoch, r.iter])).toEqual([[1, 2], [1, 4], [2, 2], [2, 4]]);
    for (const r of train) {
      expect(Object.keys(r)).toEqual(['mode', 'epoch', 'iter', 'lr', 'data_time', 'time', 'loss', 'acc_mix_q', 'acc_one_q', 'acc_mix_k']);
      expect(Number.isFinite(r.loss)).toBe(true);
    }
    expect(val.map((r) => Object.keys(r))).toEqual([0, 1].map(() => ['mode', 'epoch', 'iter', 'lr', ...VAL_KEYS]));
    expect(Object.keys(result.metrics)).toEqual(VAL_KEYS);

    const ckpt = readCheckpoint(path.join(workDir, 'latest.safetensors'));
    try {
      const names = [...ckpt.tensors.params.keys()];
      for (const prefix of ['backbone_q.', 'backbone_k.', 'head_one_q.', 'head_mix_q.', 'head_one_k.', 'head_mix_k.', 'mix_block.']) {
        expect(names.some((n) => n.startsWith(prefix))).toBe(true);
      }
      // momentum buffers for the two trained groups only (the EMA encoder has none)
      const momentum = [...ckpt.tensors.momentum.keys()];
      expect(momentum.some((n) => n.startsWith('mix_block.'))).toBe(true);
      expect(momentum.some((n) => n.startsWith('backbone_q.'))).toBe(true);
      expect(momentum.some((n) => /_k\./.test(n))).toBe(false);
    } finally {
      disposeCheckpoint(ckpt.tensors);
    }

    const tested = await testRun({configPath: config, checkpoint: path.join(workDir, 'latest.safetensors'), print: () => undefined});
    for (const key of VAL_KEYS) expect(tested.metrics[key]).toBeCloseTo(val[1][key] as number, 4);
    // per class: one report a head, in testLogits' order, each diagonal adding up to that head's top-1
    expect(tested.perClass.map((r) => r.head)).toEqual(['acc_mix_k', 'acc_one_k', 'acc_mix_q', 'acc_one_q'].filter((h) => `${h}_top1` in tested.metrics));
    for (const r of tested.perClass) {
      const hits = r.confusion!.reduce((sum, row, i) => sum + row[i], 0);
      expect((hits * 100) / tested.samples).toBeCloseTo(tested.metrics[`${r.head}_top1`], 6);
    }

    // summarize reads the run as the reference's AutoMix tool does (k and q medians over the last epochs)
    const summary = summarize(workDir, {metrics: ['head0_top1'], stat: 'median'});
    const [w] = summary.workDirs;
    expect(w.scores.head0_top1.automix).toBeDefined();
    expect(w.scores.head0_top1.value).toBeGreaterThanOrEqual(0);
  });

  it('SAMix resumes a run killed mid-epoch exactly (params, k, Mix Block buffers, both momenta, Rng)', async () => {
    const dir = tmpDir();
    const config = writeTinyAutoMixConfig(dir, SAMIX, 'tiny_samix', 3);
    const exact = {...quiet, backend: 'wasm'}; // single-threaded: bit-identical reruns
    await trainRun({configPath: config, workDir: path.join(dir, 'straight'), ...exact});
    const workDir = path.join(dir, 'killed');
    const kill = (epoch: number, iter: number) => {
      if (epoch === 1 && iter === 2) throw new Error('simulated SIGKILL');
    };
    await expect(trainRun({configPath: config, workDir, ...exact, beforeIteration: kill})).rejects.toThrow('simulated SIGKILL');
    const resumed = await trainRun({configPath: config, workDir, ...exact});
    expect(resumed.resumedFromEpoch).toBe(1);
    const trainLines = (f: string) => readJsonLog(f).filter((r) => r.mode === 'train' && (r.epoch as number) >= 2);
    const comparable = (r: Record<string, unknown>) => [r.epoch, r.iter, r.lr, r.loss, r.acc_mix_q, r.acc_one_q, r.acc_mix_k];
    const logs = jsonLogs(workDir);
    expect(trainLines(logs[1]).length).toBeGreaterThan(0);
    expect(trainLines(logs[1]).map(comparable)).toEqual(trainLines(jsonLogs(path.join(dir, 'straight'))[0]).map(comparable));
    expect(resumed.metrics).toEqual(JSON.parse(fs.readFileSync(path.join(dir, 'straight', 'finished'), 'utf8')).metrics);
  });
});
