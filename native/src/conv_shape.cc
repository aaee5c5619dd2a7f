#include "conv_shape.h"

#include <cstdlib>

namespace mixup {

static bool activationsAny() {
  static const bool any = [] {
    const char *v = std::getenv("MIXUP_DNNL_ANY");
    return v != nullptr && v[0] == '1';
  }();
  return any;
}

ConvShape ConvShape::fromParams(const int32_t *p) {
  return ConvShape{p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9],
                   p[10], p[11], p[12], p[13], p[14], p[15], p[16], p[17]};
}

dnnl::memory::desc ConvShape::userWeights() const {
  const int64_t ICg = IC / G;  // input channels per group
  const int64_t sO = 1, sI = OC, sW = ICg * OC, sH = KW * ICg * OC;
  if (G == 1) return strided(weights(), {sO, sI, sH, sW});
  return strided(weights(), {OC / G, sO, sI, sH, sW});
}

dnnl::memory::desc ConvShape::primSrc() const {
  return activationsAny() ? dnnl::memory::desc(src(), dt::f32, tag::any) : userSrc();
}

dnnl::memory::desc ConvShape::primDst() const {
  return activationsAny() ? dnnl::memory::desc(dst(), dt::f32, tag::any) : userDst();
}

std::string ConvShape::cacheKey(const char *name, int64_t extra) const {
  return key(name, {}, {N, IH, IW, IC, KH, KW, OC, OH, OW, SH, SW, PT, PL, PB, PR, DH, DW, G, extra});
}

dnnl::primitive_attr baseAttr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

dnnl::convolution_forward::primitive_desc ConvShape::forwardPd(bool bias, bool relu, dnnl::prop_kind kind) const {
  using namespace dnnl;
  auto attr = baseAttr();
  if (relu) {
    post_ops ops;
    ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(ops);
  }
  auto alg = algorithm::convolution_direct;
  if (bias) {
    memory::desc b({OC}, dt::f32, tag::x);
    convolution_forward::desc d(kind, alg, primSrc(), primWeights(), b, primDst(), strides(), dilates(), padL(), padR());
    return {d, attr, cpuEngine()};
  }
  convolution_forward::desc d(kind, alg, primSrc(), primWeights(), primDst(), strides(), dilates(), padL(), padR());
  return {d, attr, cpuEngine()};
}

}  // namespace mixup
