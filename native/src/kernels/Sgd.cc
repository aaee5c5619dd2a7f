// Fused, in-place momentum-SGD with weight decay (torch.optim.SGD), one pass over each parameter buffer:
//
//     d = scale · g + weight_decay · p          (scale: the clip_grad_norm_ factor, or no multiply)
//     buf = d (first step) | momentum · buf + (1 − dampening) · d
//     d = nesterov ? d + momentum · buf : buf
//     p = p − lr · d
//
// Every product and sum is one f32 operation in the same order as the JS path (src/engine/sgd.ts) computes it with
// tfjs ops, so the result equals the cpu backend's bit for bit (no FMA contraction: the addon is built without -mfma).
#include "kernels.h"

namespace mixup {

namespace {
template <bool kScale, bool kDecay, bool kMomentum, bool kFirst>
void update(int64_t n, const SgdHyper &h, float *p, const float *g, float *buf) {
  const float lr = h.lr, m = h.momentum, wd = h.weightDecay, keep = h.dampened, scale = h.gradScale;
  const bool nesterov = h.nesterov, damp = h.dampening;
#pragma omp parallel for simd schedule(static) if (n > 65536)
  for (int64_t i = 0; i < n; ++i) {
    float d = kScale ? g[i] * scale : g[i];
    if (kDecay) d = d + p[i] * wd;
    if (kMomentum) {
      float b;
      if (kFirst) b = d;
      else b = buf[i] * m + (damp ? d * keep : d);
      buf[i] = b;
      d = nesterov ? d + b * m : b;
    }
    p[i] = p[i] - d * lr;
  }
}

template <bool kScale, bool kDecay>
void updateMomentum(int64_t n, const SgdHyper &h, float *p, const float *g, float *buf, bool first) {
  if (buf == nullptr) update<kScale, kDecay, false, false>(n, h, p, g, buf);
  else if (first) update<kScale, kDecay, true, true>(n, h, p, g, buf);
  else update<kScale, kDecay, true, false>(n, h, p, g, buf);
}
}  // namespace

void sgdStep(int64_t n, const SgdHyper &h, float *p, const float *g, float *buf, bool first) {
  const bool scale = h.hasGradScale, decay = h.weightDecay != 0.f;
  if (scale && decay) updateMomentum<true, true>(n, h, p, g, buf, first);
  else if (scale) updateMomentum<true, false>(n, h, p, g, buf, first);
  else if (decay) updateMomentum<false, true>(n, h, p, g, buf, first);
  else updateMomentum<false, false>(n, h, p, g, buf, first);
}

}  // namespace mixup
