// MaxPoolGrad / AvgPoolGrad. dy [N, OH, OW, C] -> dx [N, IH, IW, C]. Max pooling re-runs the forward in
// training mode to get oneDNN's argmax workspace (tfjs passes x and y, not the workspace).
#include "kernels.h"

namespace mixup {

dnnl::pooling_forward::primitive_desc poolForwardPd(const PoolShape &s, bool max, dnnl::prop_kind kind);
std::string poolKey(const char *name, const PoolShape &s, bool max);

namespace {
struct PoolBwd : CacheEntry {
  dnnl::pooling_forward fwd;  // max only
  dnnl::pooling_backward prim;
  dnnl::memory::desc fwdScratch, scratch;
  dnnl::memory src, fwdDst, workspace, diffDst, diffSrc;
};
}  // namespace

void poolGrad(const PoolShape &s, bool max, const float *x, const float *dy, float *dx) {
  auto &e = cached<PoolBwd>(poolKey("pool_bwd", s, max), [&] {
    auto *c = new PoolBwd;
    auto hint = poolForwardPd(s, max, dnnl::prop_kind::forward_training);
    auto alg = max ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding;
    dnnl::pooling_backward::desc d(alg, hint.src_desc(), hint.dst_desc(), {s.SH, s.SW}, {s.KH, s.KW}, {s.PT, s.PL},
                                   {s.PB, s.PR});
    dnnl::pooling_backward::primitive_desc pd(d, baseAttr(), cpuEngine(), hint);
    c->prim = dnnl::pooling_backward(pd);
    c->scratch = pd.scratchpad_desc();
    c->diffDst = wrap(pd.diff_dst_desc(), nullptr);
    c->diffSrc = wrap(pd.diff_src_desc(), nullptr);
    if (max) {
      c->fwd = dnnl::pooling_forward(hint);
      c->fwdScratch = hint.scratchpad_desc();
      c->src = wrap(hint.src_desc(), nullptr);
      c->fwdDst = dnnl::memory(hint.dst_desc(), cpuEngine());
      c->workspace = dnnl::memory(hint.workspace_desc(), cpuEngine());
    }
    return c;
  });
  if (max) {
    e.src.set_data_handle(const_cast<float *>(x));
    e.fwd.execute(cpuStream(), {{DNNL_ARG_SRC, e.src},
                                {DNNL_ARG_DST, e.fwdDst},
                                {DNNL_ARG_WORKSPACE, e.workspace},
                                {DNNL_ARG_SCRATCHPAD, scratchpad(e.fwdScratch)}});
  }
  e.diffDst.set_data_handle(const_cast<float *>(dy));
  e.diffSrc.set_data_handle(dx);
  std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_DIFF_DST, e.diffDst}, {DNNL_ARG_DIFF_SRC, e.diffSrc}, {DNNL_ARG_SCRATCHPAD, scratchpad(e.scratch)}};
  if (max) args[DNNL_ARG_WORKSPACE] = e.workspace;
  e.prim.execute(cpuStream(), args);
  cpuStream().wait();
}

}  // namespace mixup
