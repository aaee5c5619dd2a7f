// Conv2DBackpropInput (also the input gradient of depthwise / grouped conv).
// dy [N, OH, OW, OC] (x) w [KH, KW, IC/G, OC] -> dx [N, IH, IW, IC]
#include "kernels.h"

namespace mixup {

namespace {
struct ConvBwdData : CacheEntry {
  dnnl::convolution_backward_data prim;
  dnnl::memory::desc scratch;
  Bound diffDst, wei, diffSrc;
};
}  // namespace

void conv2dBackpropInput(const ConvShape &s, const float *dy, const float *w, float *dx) {
  if (convGemmWanted(s, ConvPass::backwardData)) return convGemmBackwardData(s, dy, w, dx);
  auto &e = cached<ConvBwdData>(s.cacheKey("conv_bwd_data"), [&] {
    auto *c = new ConvBwdData;
    auto hint = s.forwardPd(false, false, dnnl::prop_kind::forward_training);
    dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, s.primSrc(), s.primWeights(),
                                            s.primDst(), s.strides(), s.dilates(), s.padL(), s.padR());
    dnnl::convolution_backward_data::primitive_desc pd(d, baseAttr(), cpuEngine(), hint);
    c->prim = dnnl::convolution_backward_data(pd);
    c->scratch = pd.scratchpad_desc();
    c->diffDst.init(s.userDst(), pd.diff_dst_desc(), true);
    c->wei.init(s.userWeights(), pd.weights_desc(), true);
    c->diffSrc.init(s.userSrc(), pd.diff_src_desc(), false);
    return c;
  });
  e.diffDst.setUser(dy);
  e.wei.setUser(w);
  e.diffSrc.setUser(dx);
  e.diffDst.in();
  e.wei.in();
  e.prim.execute(cpuStream(), {{DNNL_ARG_DIFF_DST, e.diffDst.prim},
                               {DNNL_ARG_WEIGHTS, e.wei.prim},
                               {DNNL_ARG_DIFF_SRC, e.diffSrc.prim},
                               {DNNL_ARG_SCRATCHPAD, scratchpad(e.scratch)}});
  e.diffSrc.out();
  cpuStream().wait();
}

}  // namespace mixup
