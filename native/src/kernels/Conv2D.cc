// Conv2D / FusedConv2D (bias + relu post-op) / DepthwiseConv2dNative / grouped conv, forward.
// x [N, IH, IW, IC] (x) w [KH, KW, IC/G, OC] (+ b [OC]) -> y [N, OH, OW, OC]
#include "kernels.h"

namespace mixup {

namespace {
struct ConvFwd : CacheEntry {
  dnnl::convolution_forward prim;
  dnnl::memory::desc scratch;
  Bound src, wei, dst;
  dnnl::memory bias;
};
}  // namespace

void conv2d(const ConvShape &s, const float *x, const float *w, const float *b, bool relu, float *y) {
  if (convGemmWanted(s, ConvPass::forward)) return convGemmForward(s, x, w, b, relu, y);
  auto &e = cached<ConvFwd>(s.cacheKey("conv_fwd", (b ? 1 : 0) + (relu ? 2 : 0)), [&] {
    auto *c = new ConvFwd;
    auto pd = s.forwardPd(b != nullptr, relu, dnnl::prop_kind::forward_inference);
    c->prim = dnnl::convolution_forward(pd);
    c->scratch = pd.scratchpad_desc();
    c->src.init(s.userSrc(), pd.src_desc(), true);
    c->wei.init(s.userWeights(), pd.weights_desc(), true);
    c->dst.init(s.userDst(), pd.dst_desc(), false);
    if (b) c->bias = dnnl::memory(dnnl::memory::desc({s.OC}, dt::f32, tag::x), cpuEngine(), nullptr);
    return c;
  });
  e.src.setUser(x);
  e.wei.setUser(w);
  e.dst.setUser(y);
  e.src.in();
  e.wei.in();
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, e.src.prim},
                                             {DNNL_ARG_WEIGHTS, e.wei.prim},
                                             {DNNL_ARG_DST, e.dst.prim},
                                             {DNNL_ARG_SCRATCHPAD, scratchpad(e.scratch)}};
  if (b) {
    e.bias.set_data_handle(const_cast<float *>(b));
    args[DNNL_ARG_BIAS] = e.bias;
  }
  e.prim.execute(cpuStream(), args);
  e.dst.out();
  cpuStream().wait();
}

}  // namespace mixup
