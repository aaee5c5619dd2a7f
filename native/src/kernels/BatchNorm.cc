// Training-mode batch normalisation over NHWC (forward and backward), for src/backend/ops.ts batchNormTrain.
// x [N, H, W, C], gamma/beta/mean/var [C]; statistics over N, H, W; variance biased (divides by N*H*W).
// Also tfjs's FusedBatchNorm (inference, given statistics) as a plain loop that repeats the cpu kernel's arithmetic.
#include <cmath>

#include "kernels.h"

namespace mixup {

namespace {
const auto kFlags = dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift;

dnnl::memory::desc dataDesc(const dims &nhwc) {
  return dnnl::memory::desc({nhwc[0], nhwc[3], nhwc[1], nhwc[2]}, dt::f32, tag::nhwc);  // logical NCHW, stored NHWC
}

/// mean, variance, scale (gamma), shift (beta) and their gradients: [C] vectors.
dnnl::memory::desc channelDesc(const dims &nhwc) { return dnnl::memory::desc({nhwc[3]}, dt::f32, tag::x); }

dnnl::batch_normalization_forward::primitive_desc forwardPd(const dims &nhwc, float eps) {
  dnnl::batch_normalization_forward::desc d(dnnl::prop_kind::forward_training, dataDesc(nhwc), eps, kFlags);
  return {d, baseAttr(), cpuEngine()};
}

/// Every argument of both passes is a caller buffer: one memory per DNNL_ARG_*, re-pointed on each call.
struct BnEntry : CacheEntry {
  dnnl::primitive prim;
  dnnl::memory::desc scratch;
  std::unordered_map<int, dnnl::memory> args;
  void bind(int arg, const dnnl::memory::desc &d) { args[arg] = wrap(d, nullptr); }
  void set(int arg, const float *p) { args[arg].set_data_handle(const_cast<float *>(p)); }
  void run() {
    args[DNNL_ARG_SCRATCHPAD] = scratchpad(scratch);
    prim.execute(cpuStream(), args);
    cpuStream().wait();
  }
};

std::string bnKey(const char *name, const dims &nhwc, float eps) {
  return key(name, {&nhwc}, {static_cast<int64_t>(eps * 1e12)});
}
}  // namespace

void batchNormTrain(const dims &nhwc, float eps, const float *x, const float *gamma, const float *beta, float *y,
                    float *mean, float *var) {
  auto &e = cached<BnEntry>(bnKey("bn_fwd", nhwc, eps), [&] {
    auto *c = new BnEntry;
    auto pd = forwardPd(nhwc, eps);
    c->prim = dnnl::batch_normalization_forward(pd);
    c->scratch = pd.scratchpad_desc();
    c->bind(DNNL_ARG_SRC, pd.src_desc());
    c->bind(DNNL_ARG_DST, pd.dst_desc());
    c->bind(DNNL_ARG_MEAN, channelDesc(nhwc));
    c->bind(DNNL_ARG_VARIANCE, channelDesc(nhwc));
    c->bind(DNNL_ARG_SCALE, channelDesc(nhwc));
    c->bind(DNNL_ARG_SHIFT, channelDesc(nhwc));
    return c;
  });
  e.set(DNNL_ARG_SRC, x);
  e.set(DNNL_ARG_DST, y);
  e.set(DNNL_ARG_MEAN, mean);
  e.set(DNNL_ARG_VARIANCE, var);
  e.set(DNNL_ARG_SCALE, gamma);
  e.set(DNNL_ARG_SHIFT, beta);
  e.run();
}

void batchNormTrainGrad(const dims &nhwc, float eps, const float *x, const float *gamma, const float *mean,
                        const float *var, const float *dy, float *dx, float *dgamma, float *dbeta) {
  auto &e = cached<BnEntry>(bnKey("bn_bwd", nhwc, eps), [&] {
    auto *c = new BnEntry;
    auto hint = forwardPd(nhwc, eps);
    dnnl::batch_normalization_backward::desc d(dnnl::prop_kind::backward, dataDesc(nhwc), dataDesc(nhwc), eps, kFlags);
    dnnl::batch_normalization_backward::primitive_desc pd(d, baseAttr(), cpuEngine(), hint);
    c->prim = dnnl::batch_normalization_backward(pd);
    c->scratch = pd.scratchpad_desc();
    c->bind(DNNL_ARG_SRC, pd.src_desc());
    c->bind(DNNL_ARG_DIFF_DST, pd.diff_dst_desc());
    c->bind(DNNL_ARG_DIFF_SRC, pd.diff_src_desc());
    c->bind(DNNL_ARG_MEAN, channelDesc(nhwc));
    c->bind(DNNL_ARG_VARIANCE, channelDesc(nhwc));
    c->bind(DNNL_ARG_SCALE, channelDesc(nhwc));
    c->bind(DNNL_ARG_DIFF_SCALE, channelDesc(nhwc));
    c->bind(DNNL_ARG_DIFF_SHIFT, channelDesc(nhwc));
    // oneDNN 2.6 checks that a use_shift backward gets a shift argument although it does not read it.
    c->args[DNNL_ARG_SHIFT] = dnnl::memory(channelDesc(nhwc), cpuEngine());
    return c;
  });
  e.set(DNNL_ARG_SRC, x);
  e.set(DNNL_ARG_DIFF_DST, dy);
  e.set(DNNL_ARG_DIFF_SRC, dx);
  e.set(DNNL_ARG_MEAN, mean);
  e.set(DNNL_ARG_VARIANCE, var);
  e.set(DNNL_ARG_SCALE, gamma);
  e.set(DNNL_ARG_DIFF_SCALE, dgamma);
  e.set(DNNL_ARG_DIFF_SHIFT, dbeta);
  e.run();
}

void batchNormInference(int64_t rows, int64_t C, double eps, const float *x, const float *mean, const float *var,
                        const float *scale, const float *offset, float *y) {
  // tfjs's cpu kernel evaluates offset + (x - mean) * scale / sqrt(variance + eps) in doubles (JS numbers) and
  // rounds once to f32: the same operations in the same order give the same bits.
  std::vector<double> root(C);
  for (int64_t c = 0; c < C; ++c) root[c] = std::sqrt(static_cast<double>(var[c]) + eps);
#pragma omp parallel for schedule(static) if (rows * C > 65536)
  for (int64_t r = 0; r < rows; ++r) {
    const float *xr = x + r * C;
    float *yr = y + r * C;
    for (int64_t c = 0; c < C; ++c) {
      const double s = scale ? scale[c] : 1.0, o = offset ? offset[c] : 0.0;
      yr[c] = static_cast<float>(o + (static_cast<double>(xr[c]) - mean[c]) * s / root[c]);
    }
  }
}

}  // namespace mixup
