/**
 * A faster `Conv2DBackpropInput` for the wasm backend: the stock 4.22 kernel is a plain loop, 3-10x slower than the
 * XNNPACK forward convolution of the same size (docs/wasm-backend.md).
 *
 * The input gradient of `y = conv2d(x, W, stride S, pads top/left)` (W = [KH, KW, CI, CO]) is a forward, stride-1
 * convolution of the zero-dilated output gradient with the flipped, transposed filter:
 *   dyd[n, oh·SH, ow·SW, co] = dy[n, oh, ow, co]          (zeros elsewhere; length (OH − 1)·SH + 1)
 *   Wt[kh, kw, co, ci]       = W[KH − 1 − kh, KW − 1 − kw, ci, co]
 *   dx = conv2d(dyd, Wt, stride 1, pad before = KH − 1 − top, pad after = IH + top − 1 − (OH − 1)·SH)
 * so that dx has IH rows (and likewise for columns). When a pad would be negative (explicit pads larger than the
 * filter) the stock kernel is used instead. For stride 2, 3/4 of the products are with zeros; splitting dx into
 * S·S phases (one sub-filter convolution each) avoids them but was measured slower, because interleaving the phases
 * back takes a 6-D Transpose (docs/wasm-backend.md).
 */
import {backend_util, Conv2DBackpropInputAttrs, Conv2DBackpropInputInputs, KernelConfig, KernelFunc, TensorInfo}
  from '@tensorflow/tfjs-core';
import {WasmKernelRunner, withRunner} from '../kernel_runner';

/** The kernel registered before ours (tfjs-backend-wasm's), for the cases the patch delegates back to it. */
let stock: KernelConfig | undefined;

/**
 * Remembers the stock kernel. Its `setupFunc` (binding the C function) only runs for kernels registered when the
 * backend initialises, so the patch's own `setupFunc` forwards to it.
 */
export function setStockConv2DBackpropInput(config: KernelConfig): void {
  stock = config;
}

/** dx for output gradient `dy` [N, OH, OW, CO] and filter [KH, KW, CI, CO]; dilation 1 (tfjs has no other). */
function conv2DBackpropInput(
  args: {inputs: Conv2DBackpropInputInputs, backend: unknown, attrs: Conv2DBackpropInputAttrs}): TensorInfo {
  const {inputs, attrs} = args;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`wasm backend Conv2DBackpropInput does not support dataFormat:'NCHW'. Please use 'NHWC'.`);
  }
  const info = backend_util.computeConv2DInfo(attrs.inputShape, filter.shape as [number, number, number, number],
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const {batchSize: N, inHeight: IH, inWidth: IW, outHeight: OH, outWidth: OW, outChannels: CO} = info;
  const {filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW, padInfo} = info;
  const before = [KH - 1 - padInfo.top, KW - 1 - padInfo.left]; // [rows, cols] of zeros before dyd
  const after = [IH + padInfo.top - 1 - (OH - 1) * SH, IW + padInfo.left - 1 - (OW - 1) * SW]; // ... and after
  if (Math.min(...before, ...after) < 0) {
    if (stock === undefined) throw new Error('wasm patches: stock Conv2DBackpropInput not recorded');
    return stock.kernelFunc(args as never) as TensorInfo;
  }
  return withRunner(args.backend as never, (r) => {
    let dyd = dy; // [N, (OH − 1)·SH + 1 + extra rows, ..., CO]
    const extra = [0, 0]; // zero rows/cols already appended after dyd by the dilation
    if (SH > 1 || SW > 1) {
      // [N, OH, 1, OW, 1, CO] padded to [N, OH, SH, OW, SW, CO] = [N, OH·SH, OW·SW, CO]: each value followed by zeros
      const dy6 = r.reshape(dy, [N, OH, 1, OW, 1, CO]);
      const padded = r.run('PadV2', {x: dy6},
        {paddings: [[0, 0], [0, 0], [0, SH - 1], [0, 0], [0, SW - 1], [0, 0]], constantValue: 0});
      dyd = r.reshape(padded, [N, OH * SH, OW * SW, CO]);
      extra[0] = SH - 1;
      extra[1] = SW - 1;
      if (after[0] < extra[0] || after[1] < extra[1]) {
        // more trailing zeros than the convolution may see: crop to (OH − 1)·SH + 1 + after rows
        const rows = Math.min(OH * SH, (OH - 1) * SH + 1 + after[0]);
        const cols = Math.min(OW * SW, (OW - 1) * SW + 1 + after[1]);
        dyd = r.run('Slice', {x: dyd}, {begin: [0, 0, 0, 0], size: [N, rows, cols, CO]});
        extra[0] = rows - ((OH - 1) * SH + 1);
        extra[1] = cols - ((OW - 1) * SW + 1);
      }
    }
    const wt = flippedTransposedFilter(r, filter);
    const pad = [[0, 0], [before[0], after[0] - extra[0]], [before[1], after[1] - extra[1]], [0, 0]];
    return r.run('Conv2D', {x: dyd, filter: wt},
      {strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined} as never);
  });
}

/** Wt[kh, kw, co, ci] = W[KH − 1 − kh, KW − 1 − kw, ci, co]: [KH, KW, CO, CI]. */
function flippedTransposedFilter(r: WasmKernelRunner, filter: TensorInfo): TensorInfo {
  const flipped = r.run('Reverse', {x: filter}, {dims: [0, 1]});
  return r.run('Transpose', {x: flipped}, {perm: [0, 1, 3, 2]});
}

/** Registration record for `registerWasmPatches()` (replaces the stock kernel). */
export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  setupFunc: (backend) => stock?.setupFunc?.(backend),
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
