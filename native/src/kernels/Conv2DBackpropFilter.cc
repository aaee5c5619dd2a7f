// Conv2DBackpropFilter (also the filter gradient of depthwise / grouped conv).
// x [N, IH, IW, IC] (x) dy [N, OH, OW, OC] -> dw [KH, KW, IC/G, OC]
#include "kernels.h"

namespace mixup {

namespace {
struct ConvBwdWeights : CacheEntry {
  dnnl::convolution_backward_weights prim;
  dnnl::memory::desc scratch;
  Bound src, diffDst, diffWei;
};
}  // namespace

void conv2dBackpropFilter(const ConvShape &s, const float *x, const float *dy, float *dw) {
  if (convGemmWanted(s, ConvPass::backwardWeights)) return convGemmBackwardWeights(s, x, dy, dw);
  auto &e = cached<ConvBwdWeights>(s.cacheKey("conv_bwd_weights"), [&] {
    auto *c = new ConvBwdWeights;
    auto hint = s.forwardPd(false, false, dnnl::prop_kind::forward_training);
    dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, s.primSrc(), s.primWeights(),
                                               s.primDst(), s.strides(), s.dilates(), s.padL(), s.padR());
    dnnl::convolution_backward_weights::primitive_desc pd(d, baseAttr(), cpuEngine(), hint);
    c->prim = dnnl::convolution_backward_weights(pd);
    c->scratch = pd.scratchpad_desc();
    c->src.init(s.userSrc(), pd.src_desc(), true);
    c->diffDst.init(s.userDst(), pd.diff_dst_desc(), true);
    c->diffWei.init(s.userWeights(), pd.diff_weights_desc(), false);
    return c;
  });
  e.src.setUser(x);
  e.diffDst.setUser(dy);
  e.diffWei.setUser(dw);
  e.src.in();
  e.diffDst.in();
  e.prim.execute(cpuStream(), {{DNNL_ARG_SRC, e.src.prim},
                               {DNNL_ARG_DIFF_DST, e.diffDst.prim},
                               {DNNL_ARG_DIFF_WEIGHTS, e.diffWei.prim},
                               {DNNL_ARG_SCRATCHPAD, scratchpad(e.scratch)}});
  e.diffWei.out();
  cpuStream().wait();
}

}  // namespace mixup
