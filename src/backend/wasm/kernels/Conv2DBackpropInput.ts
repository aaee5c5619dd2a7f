/**
 * A faster `Conv2DBackpropInput` for the wasm backend: the stock 4.22 kernel is a plain loop, several times slower
 * than the XNNPACK forward convolution (docs/wasm-backend.md).
 *
 * The input gradient of `y = conv2d(x, W, stride S, leading pad T)` (W = [KH, KW, CI, CO]) is, per axis,
 *   dx[i] = Σ_{o, k : o·S + k − T = i} dy[o] · W[k]ᵀ.
 * Split the rows i by phase: i + T = S·q + r (0 ≤ r < S). Only taps k = r + S·j (j < J_r = ⌈(KH − r)/S⌉) reach
 * phase r, from o = q − j, so each phase is a forward stride-1 convolution (XNNPACK Conv2D) of dy with a sub-filter:
 *   P_r[q] = Σ_{j'} dy[q − J_r + 1 + j'] · F_r[j'],  F_r[j'] = W[r + S·(J_r − 1 − j')]ᵀ   (flipped, [.., CO, CI])
 * over q ∈ [⌊T/S⌋, ⌊(IH − 1 + T)/S⌋], i.e. dy padded by J_r − 1 − ⌊T/S⌋ before and ⌊(IH − 1 + T)/S⌋ + 1 − OH after.
 * The S_H·S_W phase results are interleaved (Pack + Transpose) and cropped to IH × IW. For stride 1 this is the
 * textbook "convolve the padded dy with the flipped, transposed filter"; for stride 2 it skips the 3/4 zeros a
 * zero-dilated dy would multiply. When a pad would be negative (explicit pads wider than the filter) the stock
 * kernel is used.
 */
import {backend_util, Conv2DBackpropInputAttrs, Conv2DBackpropInputInputs, KernelConfig, KernelFunc, TensorInfo}
  from '@tensorflow/tfjs-core';
import {WasmKernelRunner, withRunner} from '../kernel_runner';

/** The kernel registered before ours (tfjs-backend-wasm's), used for the cases the rewrite does not cover. */
let stockKernel: KernelFunc | undefined;

/** Remembers the stock kernel so that the patch can delegate to it. */
export function setStockConv2DBackpropInput(kernel: KernelFunc | undefined): void {
  stockKernel = kernel;
}

/** One phase r of one axis: J_r taps, and the zeros to pad dy with before and after. */
interface Phase {r: number, taps: number, before: number, after: number}

/** The phases of one axis, the rows each phase computes (q) and where row i = 0 sits in the interleaved result. */
interface AxisPlan {q: number, offset: number, phases: Phase[]}

/** Plans one axis (in = IH, out = OH, k = KH, s = SH, pad = T); undefined if a pad would be negative. */
function planAxis(inSize: number, outSize: number, k: number, s: number, pad: number): AxisPlan | undefined {
  const qLo = Math.floor(pad / s);
  const q = Math.floor((inSize - 1 + pad) / s) - qLo + 1; // rows per phase
  const phases: Phase[] = [];
  for (let r = 0; r < s; r++) {
    const taps = Math.max(0, Math.ceil((k - r) / s)); // J_r
    const before = taps - 1 - qLo;
    const after = q + taps - 1 - outSize - before; // so that OH + before + after − taps + 1 = q
    if (taps > 0 && (before < 0 || after < 0)) return undefined;
    phases.push({r, taps, before, after});
  }
  return {q, offset: pad % s, phases};
}

/** dx for output gradient `dy` [N, OH, OW, CO] and filter [KH, KW, CI, CO]; dilation 1 (tfjs has no other). */
function conv2DBackpropInput(args: {inputs: Conv2DBackpropInputInputs, backend: unknown, attrs: Conv2DBackpropInputAttrs}):
  TensorInfo {
  const {inputs, attrs} = args;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`wasm backend Conv2DBackpropInput does not support dataFormat:'NCHW'. Please use 'NHWC'.`);
  }
  const info = backend_util.computeConv2DInfo(attrs.inputShape, filter.shape as [number, number, number, number],
    attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const {batchSize: N, inHeight: IH, inWidth: IW, inChannels: CI, strideHeight: SH, strideWidth: SW} = info;
  const rows = planAxis(IH, info.outHeight, info.filterHeight, SH, info.padInfo.top);
  const cols = planAxis(IW, info.outWidth, info.filterWidth, SW, info.padInfo.left);
  if (rows === undefined || cols === undefined) {
    if (stockKernel === undefined) throw new Error('wasm patches: stock Conv2DBackpropInput not recorded');
    return stockKernel(args as never) as TensorInfo;
  }
  return withRunner(args.backend as never, (r) => {
    const parts: TensorInfo[] = []; // [N, rows.q, cols.q, CI] per phase, row phase major
    for (const ph of rows.phases) {
      for (const pw of cols.phases) parts.push(phaseConv(r, dy, filter, ph, pw, [N, rows.q, cols.q, CI], [SH, SW]));
    }
    if (parts.length === 1) return parts[0]; // stride 1: one phase, exactly [N, IH, IW, CI]
    const packed = r.run('Pack', parts as unknown as Record<string, TensorInfo>, {axis: 0}); // [SH·SW, N, Qh, Qw, CI]
    for (const p of parts) r.release(p);
    const grid = r.reshape(packed, [SH, SW, N, rows.q, cols.q, CI]);
    const interleaved = r.run('Transpose', {x: grid}, {perm: [2, 3, 0, 4, 1, 5]}); // [N, Qh, SH, Qw, SW, CI]
    const full = r.reshape(interleaved, [N, rows.q * SH, cols.q * SW, CI]); // row S·(q − qLo) + r ↔ i = S·q + r − T
    return r.run('Slice', {x: full}, {begin: [0, rows.offset, cols.offset, 0], size: [N, IH, IW, CI]});
  });
}

/** P_{rh,rw}: dy convolved with the flipped, transposed taps W[rh + SH·j, rw + SW·j'] (zeros if no tap reaches). */
function phaseConv(r: WasmKernelRunner, dy: TensorInfo, filter: TensorInfo, ph: Phase, pw: Phase, shape: number[],
  strides: [number, number]): TensorInfo {
  if (ph.taps === 0 || pw.taps === 0) return r.run('Fill', {}, {shape, value: 0, dtype: 'float32'});
  const [KH, KW, CI, CO] = filter.shape;
  const sub = strides[0] === 1 && strides[1] === 1 ? filter : r.run('StridedSlice', {x: filter}, {
    begin: [ph.r, pw.r, 0, 0], end: [KH, KW, CI, CO], strides: [strides[0], strides[1], 1, 1],
    beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
  }); // [J_rh, J_rw, CI, CO]
  const flipped = r.run('Reverse', {x: sub}, {dims: [0, 1]});
  const wt = r.run('Transpose', {x: flipped}, {perm: [0, 1, 3, 2]}); // [J_rh, J_rw, CO, CI]
  const pad = [[0, 0], [ph.before, ph.after], [pw.before, pw.after], [0, 0]];
  return r.run('Conv2D', {x: dy, filter: wt},
    {strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined} as never);
}

/** Registration record for `registerWasmPatches()` (replaces the stock kernel). */
export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
