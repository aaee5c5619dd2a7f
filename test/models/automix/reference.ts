/** Hand computations shared by the Mix Block tests (plain arrays, no tensors). */

/** P = softmax_row(q kᵀ / √d): row a holds pixel a of z_i against every pixel b of z_j. */
export function attentionRows(q: number[][], k: number[][], d: number): number[][] {
  return q.map((qa) => {
    const s = k.map((kb) => qa.reduce((acc, qc, c) => acc + qc * kb[c], 0) / Math.sqrt(d));
    const mx = Math.max(...s);
    const e = s.map((x) => Math.exp(x - mx));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  });
}

/** The SAMix mix_block dict of OpenMixup's cub200/samix config, at a tiny width. */
export function samixCfg(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'PixelMixBlock', in_channels: 6, reduction: 2, use_scale: true, unsampling_mode: ['bilinear'],
    lam_concat: false, lam_concat_v: false, lam_mul: true, lam_residual: true, lam_mul_k: 1,
    value_neck_cfg: {type: 'ConvNeck', in_channels: 6, hid_channels: 4, out_channels: 1, num_layers: 2, kernel_size: 1,
      with_last_bn: false, norm_cfg: {type: 'BN'}, with_last_dropout: 0.1, with_avg_pool: false, with_residual: false},
    x_qk_concat: true, x_v_concat: false, mask_loss_mode: 'L1+Variance', mask_loss_margin: 0.1, frozen: false,
    ...over,
  };
}
