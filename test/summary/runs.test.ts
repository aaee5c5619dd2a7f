import {parseLog, ParsedLog} from '../../src/summary/log';
import {continuesAt, joinRuns} from '../../src/summary/runs';

/** A parsed log: meta, then per epoch one train and one val line, then train lines of `trainOnly` epochs. */
function piece(file: string, meta: Record<string, unknown>, epochs: Array<[number, number]>, trainOnly: number[] = []): ParsedLog {
  const lines = [JSON.stringify(meta)];
  for (const [epoch, v] of epochs) {
    lines.push(JSON.stringify({mode: 'train', epoch, iter: 1, loss: 1}), JSON.stringify({mode: 'val', epoch, iter: 1, head0_top1: v}));
  }
  for (const e of trainOnly) lines.push(JSON.stringify({mode: 'train', epoch: e, iter: 1, loss: 1}));
  return parseLog(lines.join('\n'), file, {train: true});
}

const vals = (log: ParsedLog) => log.val.map((r) => [r.epoch, r.data.head0_top1]);

describe('joinRuns', () => {
  test('our engine: a piece with resumed_from {epoch: k} joins the run before it at k', () => {
    const a = piece('a', {seed: 0}, [[1, 50], [2, 60], [3, 70]]);
    const b = piece('b', {seed: 0, resumed_from: {checkpoint: 'wd/latest.safetensors', epoch: 3}}, [[4, 72], [5, 74]]);
    const warnings: string[] = [];
    const runs = joinRuns([a, b], warnings);
    expect(runs.map((r) => r.logs)).toEqual([['a', 'b']]);
    expect(vals(runs[0].log)).toEqual([[1, 50], [2, 60], [3, 70], [4, 72], [5, 74]]);
    expect(runs[0].log.train.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(runs[0].log).toMatchObject({file: 'b', meta: {seed: 0}, firstEpoch: 1, lastEpoch: 5});
    expect(warnings).toEqual([]);
  });

  test('epochs a killed run logged after its checkpoint are replaced by the resumed piece', () => {
    // killed during epoch 5: its val line of epoch 4 exists, but the checkpoint holds epoch 3
    const a = piece('a', {}, [[1, 50], [2, 60], [3, 70], [4, 99]], [5]);
    const b = piece('b', {resumed_from: {checkpoint: 'x', epoch: 3}}, [[4, 71], [5, 73]]);
    const [run] = joinRuns([a, b], []);
    expect(vals(run.log)).toEqual([[1, 50], [2, 60], [3, 70], [4, 71], [5, 73]]);
    expect(run.log.train.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5]);
  });

  test('the val line the engine re-writes from the checkpoint is not doubled', () => {
    const a = piece('a', {}, [[1, 50], [2, 60]], [3]);
    // the run died after checkpoint 3 but before its val line: the resumed piece writes epoch 3's line first
    const b = piece('b', {resumed_from: {checkpoint: 'x', epoch: 3}}, [[3, 65], [4, 70]]);
    expect(vals(joinRuns([a, b], [])[0].log)).toEqual([[1, 50], [2, 60], [3, 65], [4, 70]]);
  });

  test('OpenMixup: no meta, a first train line after epoch 1 continues the run; one at epoch 1 is a new run', () => {
    const a = piece('a', {seed: 0}, [[1, 50], [2, 60]]);
    const b = piece('b', {seed: 0}, [[3, 70]]);
    const c = piece('c', {seed: 0}, [[1, 40], [2, 45], [3, 48]]);
    expect(continuesAt(b)).toBe(2);
    expect(continuesAt(c)).toBeUndefined();
    const runs = joinRuns([a, b, c], []);
    expect(runs.map((r) => r.logs)).toEqual([['a', 'b'], ['c']]);
    expect(vals(runs[0].log)).toEqual([[1, 50], [2, 60], [3, 70]]);
  });

  test('with val only every few epochs, the first train line decides (not the first val line)', () => {
    const fresh = parseLog(['{}', '{"mode": "train", "epoch": 1, "iter": 1}', '{"mode": "val", "epoch": 10, "head0_top1": 5}', '{"mode": "train", "epoch": 11}'].join('\n'), 'f');
    expect(fresh).toMatchObject({firstEpoch: 1, lastEpoch: 11});
    expect(continuesAt(fresh)).toBeUndefined();
  });

  test('a piece without lines (died while starting) belongs to the run a later piece continues', () => {
    const a = piece('a', {}, [[1, 50], [2, 60]]);
    const dead = piece('dead', {}, []);
    const b = piece('b', {}, [[3, 70]]);
    expect(joinRuns([a, dead, b], []).map((r) => r.logs)).toEqual([['a', 'dead', 'b']]);
    // ... and is a run of its own (without values) when nothing continues it
    expect(joinRuns([a, dead], []).map((r) => r.logs)).toEqual([['a'], ['dead']]);
  });

  test('a gap between the run and the resumed piece is a warning', () => {
    const a = piece('a', {}, [[1, 50]]);
    const b = piece('b', {resumed_from: {checkpoint: 'x', epoch: 3}}, [[4, 70]]);
    const warnings: string[] = [];
    expect(joinRuns([a, b], warnings).map((r) => r.logs)).toEqual([['a', 'b']]);
    expect(warnings).toEqual(['b: continues the run of a after epoch 3, but that run\'s log ends at epoch 1; epochs 2-3 have no lines']);
  });

  test('a resumed piece with no run before it (--resume-from another work dir) is a run of its own', () => {
    const b = piece('b', {resumed_from: {checkpoint: 'other/epoch_3.safetensors', epoch: 3}}, [[4, 70]]);
    expect(joinRuns([b], []).map((r) => r.logs)).toEqual([['b']]);
  });
});
