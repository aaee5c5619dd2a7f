/**
 * Progress display of a training run: a cli-progress bar on stderr when it is a TTY (iterations, ETA, loss, lr,
 * img/s), otherwise the log's text lines printed as they are written (one every `log_config.interval` iterations).
 */
import {MultiBar, Presets, SingleBar} from 'cli-progress';
import type {ProgressSink} from './trainer';

/** `bar`: the TTY bar; `lines`: plain periodic lines through `print`; `none`: silent. */
export type ProgressMode = 'bar' | 'lines' | 'none';

/** The mode for this process: a bar only when stderr is a terminal and output is not JSON. */
export function defaultProgressMode(json: boolean): ProgressMode {
  if (json) return 'none';
  return process.stderr.isTTY ? 'bar' : 'lines';
}

/** A `ProgressSink` for the given mode; call `stop()` when the run ends. */
export function createProgress(mode: ProgressMode, print: (line: string) => void, label: string): ProgressSink & {stop(): void} {
  if (mode === 'none') return {iteration: () => undefined, line: () => undefined, stop: () => undefined};
  if (mode === 'lines') return {iteration: () => undefined, line: (text) => print(text), stop: () => undefined};
  const multi = new MultiBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} iters | ETA {eta_formatted} | loss {loss} | lr {lr} | {ips} img/s`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  let bar: SingleBar | undefined;
  const values = {loss: '-', lr: '-', ips: '-'};
  return {
    iteration(done, total, imagesPerSecond) {
      values.ips = imagesPerSecond.toFixed(1);
      if (!bar) bar = multi.create(total, done, values);
      bar.update(done, values);
    },
    line(text, v) {
      if (v?.loss !== undefined) values.loss = v.loss.toFixed(4);
      if (v?.lr !== undefined) values.lr = v.lr.toExponential(2);
      // train lines are in the log file; only val lines are worth printing above the bar
      if (text.includes('Epoch(val)')) {
        multi.log(`${text}\n`);
        multi.update(); // render now, so the line shows even when the run ends right after
      }
    },
    stop() {
      multi.stop();
    },
  };
}
