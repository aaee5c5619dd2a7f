// Transpose as a oneDNN reorder: the source is described with permuted strides, the destination is row-major.
// x [d0..dn] -> y [d_perm[0]..d_perm[n]]
#include "kernels.h"

namespace mixup {

namespace {
struct TransposeEntry : CacheEntry {
  dnnl::reorder prim;
  dnnl::memory x, y;
};
}  // namespace

void transpose(const dims &shape, const dims &perm, const float *x, float *y) {
  auto &e = cached<TransposeEntry>(key("transpose", {&shape, &perm}), [&] {
    auto *c = new TransposeEntry;
    const size_t r = shape.size();
    dims inStrides(r), outShape(r), permStrides(r);
    int64_t s = 1;
    for (size_t i = r; i-- > 0;) {
      inStrides[i] = s;
      s *= shape[i];
    }
    for (size_t i = 0; i < r; ++i) {
      outShape[i] = shape[perm[i]];
      permStrides[i] = inStrides[perm[i]];
    }
    c->x = wrap(strided(outShape, permStrides), nullptr);
    c->y = wrap(rowMajor(outShape), nullptr);
    c->prim = dnnl::reorder(c->x, c->y);
    return c;
  });
  e.x.set_data_handle(const_cast<float *>(x));
  e.y.set_data_handle(y);
  e.prim.execute(cpuStream(), e.x, e.y);
  cpuStream().wait();
}

}  // namespace mixup
