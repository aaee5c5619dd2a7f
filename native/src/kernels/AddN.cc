// AddN: y = x_0 + ... + x_{k-1}, all of n elements (oneDNN sum primitive, unit scales).
#include "kernels.h"

namespace mixup {

namespace {
struct SumEntry : CacheEntry {
  dnnl::sum prim;
  dnnl::memory::desc scratch;
  std::vector<dnnl::memory> xs;
  dnnl::memory y;
};
}  // namespace

void addN(int64_t n, const std::vector<const float *> &xs, float *y) {
  const int64_t k = static_cast<int64_t>(xs.size());
  auto &e = cached<SumEntry>(key("addn", {}, {n, k}), [&] {
    auto *c = new SumEntry;
    auto d = rowMajor({n});
    std::vector<dnnl::memory::desc> srcs(k, d);
    std::vector<float> scales(k, 1.f);
    dnnl::sum::primitive_desc pd(d, scales, srcs, cpuEngine(), baseAttr());
    c->prim = dnnl::sum(pd);
    c->scratch = pd.scratchpad_desc();
    for (int64_t i = 0; i < k; ++i) c->xs.push_back(wrap(d, nullptr));
    c->y = wrap(d, nullptr);
    return c;
  });
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_DST, e.y}, {DNNL_ARG_SCRATCHPAD, scratchpad(e.scratch)}};
  for (int64_t i = 0; i < k; ++i) {
    e.xs[i].set_data_handle(const_cast<float *>(xs[i]));
    args[DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i)] = e.xs[i];
  }
  e.y.set_data_handle(y);
  e.prim.execute(cpuStream(), args);
  cpuStream().wait();
}

}  // namespace mixup
