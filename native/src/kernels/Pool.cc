// MaxPool / AvgPool forward. x [N, IH, IW, C] -> y [N, OH, OW, C], NHWC in and out.
#include "kernels.h"

namespace mixup {

PoolShape PoolShape::fromParams(const int32_t *p) {
  return PoolShape{p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13]};
}

namespace {
struct PoolFwd : CacheEntry {
  dnnl::pooling_forward prim;
  dnnl::memory::desc scratch;
  dnnl::memory src, dst;
};
}  // namespace

dnnl::pooling_forward::primitive_desc poolForwardPd(const PoolShape &s, bool max, dnnl::prop_kind kind) {
  dnnl::memory::desc src({s.N, s.C, s.IH, s.IW}, dt::f32, tag::nhwc);
  dnnl::memory::desc dst({s.N, s.C, s.OH, s.OW}, dt::f32, tag::nhwc);
  auto alg = max ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding;
  dnnl::pooling_forward::desc d(kind, alg, src, dst, {s.SH, s.SW}, {s.KH, s.KW}, {s.PT, s.PL}, {s.PB, s.PR});
  return {d, baseAttr(), cpuEngine()};
}

std::string poolKey(const char *name, const PoolShape &s, bool max) {
  return key(name, {}, {s.N, s.IH, s.IW, s.C, s.KH, s.KW, s.OH, s.OW, s.SH, s.SW, s.PT, s.PL, s.PB, s.PR, max});
}

void pool(const PoolShape &s, bool max, const float *x, float *y) {
  auto &e = cached<PoolFwd>(poolKey("pool_fwd", s, max), [&] {
    auto *c = new PoolFwd;
    auto pd = poolForwardPd(s, max, dnnl::prop_kind::forward_inference);
    c->prim = dnnl::pooling_forward(pd);
    c->scratch = pd.scratchpad_desc();
    c->src = wrap(pd.src_desc(), nullptr);
    c->dst = wrap(pd.dst_desc(), nullptr);
    return c;
  });
  e.src.set_data_handle(const_cast<float *>(x));
  e.dst.set_data_handle(y);
  e.prim.execute(cpuStream(), {{DNNL_ARG_SRC, e.src}, {DNNL_ARG_DST, e.dst}, {DNNL_ARG_SCRATCHPAD, scratchpad(e.scratch)}});
  cpuStream().wait();
}

}  // namespace mixup
