/**
 * `npm run bench -- summarize [LOGS] [EPOCHS]`: writes LOGS (default 1,000) generated logs of EPOCHS (default 200)
 * epochs, in OpenMixup's layout and line format (2 train lines + 1 val line an epoch), into a temp dir, then times
 * `summarize` (median and max) and the table rendering. Prints wall-clock and CPU ms and the process RSS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {renderGrid} from '../src/summary/grid';
import {summarize} from '../src/summary/summarize';
import {summaryGrid} from '../src/summary/summary-table';

const logs = Number(process.argv[2] ?? 1000);
const epochs = Number(process.argv[3] ?? 200);
const methods = ['vanilla', 'mixup', 'cutmix', 'manifoldmix', 'saliencymix', 'fmix', 'puzzlemix', 'resizemix'];
const backbones = ['r18', 'r50', 'rx50', 'rx101'];
const datasets = ['cub200', 'aircrafts', 'inaturalist2017', 'place205'];

function writeLogs(root: string): number {
  let bytes = 0;
  for (let i = 0; i < logs; i++) {
    const method = methods[i % methods.length];
    const backbone = backbones[Math.floor(i / methods.length) % backbones.length];
    const dataset = datasets[Math.floor(i / (methods.length * backbones.length)) % datasets.length];
    const seed = Math.floor(i / (methods.length * backbones.length * datasets.length));
    const dir = path.join(root, dataset, backbone, `mix_mode${method}`, `${backbone}_mixups_CE_none_alpha1_ep${epochs}_s${seed}`);
    fs.mkdirSync(dir, {recursive: true});
    const lines = [JSON.stringify({env_info: 'bench', config: "model = dict(type='MixUpClassification')", seed: 0, exp_name: path.basename(dir)})];
    for (let e = 1; e <= epochs; e++) {
      const acc = 80 * (1 - Math.exp(-e / 40)) + ((i * 7 + e * 13) % 17) / 10;
      for (const iter of [50, 100]) {
        lines.push(JSON.stringify({mode: 'train', epoch: e, iter, lr: 0.001, memory: 2102, data_time: 0.0123, loss: 4 * Math.exp(-e / 50), acc: 50, acc_mix: 45.5, time: 0.15}));
      }
      lines.push(JSON.stringify({mode: 'val', epoch: e, iter: 58, lr: 0.001, head0_top1: Number(acc.toFixed(5)), head0_top5: Number((acc + 10).toFixed(5))}));
    }
    const text = `${lines.join('\n')}\n`;
    bytes += text.length;
    fs.writeFileSync(path.join(dir, '20240101_000000.log.json'), text);
  }
  return bytes;
}

/** Runs `f`, printing wall-clock and CPU (user + system) ms: on a shared machine the CPU time is the fairer figure. */
function time<T>(label: string, f: () => T): T {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = f();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  console.log(`${label.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms wall ${cpuMs.toFixed(0).padStart(6)} ms CPU   RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  return result;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mixup-bench-summarize-'));
try {
  const bytes = writeLogs(root);
  console.log(`${logs} logs x ${epochs} epochs (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${root}`);
  const metrics = ['head0_top1', 'head0_top5'];
  const median = time('summarize --stat median (2 metrics)', () => summarize(root, {metrics, stat: 'median'}));
  time('summarize --stat max (2 metrics)', () => summarize(root, {metrics, stat: 'max'}));
  time('render markdown + latex + csv tables', () => ['markdown', 'latex', 'csv'].map((f) => renderGrid(summaryGrid(median, 'head0_top1'), f as 'csv')));
  console.log(`work dirs summarised: ${median.workDirs.filter((w) => Object.keys(w.scores).length > 0).length}`);
} finally {
  fs.rmSync(root, {recursive: true, force: true});
}
