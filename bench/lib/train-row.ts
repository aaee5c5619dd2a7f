/** One measured (backend, shape) of `npm run bench -- train` and its printed line. */

/** The input shapes `bench/train.ts` measures. */
export type ShapeName = 'cifar32' | 'in64' | 'in224' | 'cifar32s';

export interface Row {
  backend: string;
  shape: ShapeName;
  pure?: number;
  loop?: number;
  overheadPercent?: number;
  peakRssMB?: number;
  /** the batch measured (the shape's, or `--batch`) */
  batch?: number;
  torch?: number | string;
  ratio?: number;
  /** webgpu: the adapter Dawn reports, e.g. "google / swiftshader (SwiftShader driver 5.0.0), software" */
  adapter?: string;
  /** webgpu: the adapter is a software one (SwiftShader, llvmpipe) */
  software?: boolean;
  error?: string;
}

/**
 * The table line of a row: speeds, the adapter on webgpu ("software adapter ..." when it is one: a correctness run,
 * never a GPU speed) and the PyTorch comparison; `batch` is printed when `--batch` replaced the shape's.
 */
export function formatRow(row: Row, batch?: number): string {
  const f = (v: number | undefined, d = 1) => (v === undefined ? '-' : v.toFixed(d));
  const speed = (v: number | undefined) => f(v, v !== undefined && v < 10 ? 2 : 1);
  const batched = batch === undefined ? '' : `batch ${batch} `;
  const adapter = row.adapter ? ` (${row.software ? 'software adapter' : 'adapter'} ${row.adapter.replace(/, software$/, '')})` : '';
  const t = row.torch;
  const measured = row.error
    ? `error: ${row.error}`
    : `pure ${speed(row.pure)} img/s${adapter}, loop ${speed(row.loop)} img/s, overhead ${f(row.overheadPercent)}%, peak RSS ${f(row.peakRssMB, 0)} MB`;
  const torch = typeof t === 'number' ? `${t.toFixed(1)} img/s (ratio ${f(row.ratio, 2)})` : t;
  return `${row.backend.padEnd(7)} ${row.shape.padEnd(8)} ${batched}${measured}, PyTorch ${torch}`;
}
