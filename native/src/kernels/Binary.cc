// Add / Sub / Mul / RealDiv / Maximum / Minimum with numpy broadcasting of the second operand.
// a [d0..dn] op b [d0'..dn'] (each di' = di or 1) -> y [d0..dn]
#include "kernels.h"

namespace mixup {

namespace {
struct BinaryEntry : CacheEntry {
  dnnl::binary prim;
  dnnl::memory::desc scratch;
  dnnl::memory a, b, y;
};
}  // namespace

void binary(dnnl::algorithm op, const dims &shapeA, const dims &shapeB, const float *a, const float *b, float *y) {
  auto &e = cached<BinaryEntry>(key("binary", {&shapeA, &shapeB}, {static_cast<int64_t>(op)}), [&] {
    auto *c = new BinaryEntry;
    auto aDesc = rowMajor(shapeA), bDesc = rowMajor(shapeB);
    dnnl::binary::primitive_desc pd(dnnl::binary::desc(op, aDesc, bDesc, aDesc), baseAttr(), cpuEngine());
    c->prim = dnnl::binary(pd);
    c->scratch = pd.scratchpad_desc();
    c->a = wrap(aDesc, nullptr);
    c->b = wrap(bDesc, nullptr);
    c->y = wrap(aDesc, nullptr);
    return c;
  });
  e.a.set_data_handle(const_cast<float *>(a));
  e.b.set_data_handle(const_cast<float *>(b));
  e.y.set_data_handle(y);
  e.prim.execute(cpuStream(), {{DNNL_ARG_SRC_0, e.a},
                               {DNNL_ARG_SRC_1, e.b},
                               {DNNL_ARG_DST, e.y},
                               {DNNL_ARG_SCRATCHPAD, scratchpad(e.scratch)}});
  cpuStream().wait();
}

}  // namespace mixup
