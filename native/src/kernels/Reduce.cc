// Sum / Mean / Max / Min over any set of axes (the axes where outShape is 1): no transpose first, unlike tfjs cpu.
// x [d0..dn] -> y [d0..dn with reduced axes = 1]
#include "kernels.h"

namespace mixup {

namespace {
struct ReduceEntry : CacheEntry {
  dnnl::reduction prim;
  dnnl::memory::desc scratch;
  dnnl::memory x, y;
};
}  // namespace

void reduce(dnnl::algorithm op, const dims &shape, const dims &outShape, const float *x, float *y) {
  auto &e = cached<ReduceEntry>(key("reduce", {&shape, &outShape}, {static_cast<int64_t>(op)}), [&] {
    auto *c = new ReduceEntry;
    auto xDesc = rowMajor(shape), yDesc = rowMajor(outShape);
    dnnl::reduction::primitive_desc pd(dnnl::reduction::desc(op, xDesc, yDesc, 0.f, 0.f), baseAttr(), cpuEngine());
    c->prim = dnnl::reduction(pd);
    c->scratch = pd.scratchpad_desc();
    c->x = wrap(xDesc, nullptr);
    c->y = wrap(yDesc, nullptr);
    return c;
  });
  e.x.set_data_handle(const_cast<float *>(x));
  e.y.set_data_handle(y);
  e.prim.execute(cpuStream(), {{DNNL_ARG_SRC, e.x}, {DNNL_ARG_DST, e.y}, {DNNL_ARG_SCRATCHPAD, scratchpad(e.scratch)}});
  cpuStream().wait();
}

}  // namespace mixup
