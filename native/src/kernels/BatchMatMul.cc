// BatchMatMul / _FusedMatMul (bias [N] + relu post-op).
// a [BA, M, K] (or [BA, K, M] if transA) (x) b [BB, K, N] (or [BB, N, K] if transB) -> y [max(BA, BB), M, N]
#include "kernels.h"

namespace mixup {

namespace {
struct MatMulEntry : CacheEntry {
  dnnl::matmul prim;
  dnnl::memory::desc scratch;
  dnnl::memory a, b, bias, y;
};
}  // namespace

void batchMatMul(int64_t BA, int64_t BB, int64_t M, int64_t K, int64_t N, bool transA, bool transB, const float *a,
                 const float *b, const float *bias, bool relu, float *y) {
  const int64_t B = BA > BB ? BA : BB;  // output batch
  auto &e = cached<MatMulEntry>(key("matmul", {}, {BA, BB, M, K, N, transA, transB, bias != nullptr, relu}), [&] {
    auto *c = new MatMulEntry;
    // Transposition is expressed with strides on the logical [batch, rows, cols] dims: no copy.
    auto aDesc = strided({BA, M, K}, transA ? dims{M * K, 1, M} : dims{M * K, K, 1});
    auto bDesc = strided({BB, K, N}, transB ? dims{K * N, 1, K} : dims{K * N, N, 1});
    auto yDesc = rowMajor({B, M, N});
    auto attr = baseAttr();
    if (relu) {
      dnnl::post_ops ops;
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
      attr.set_post_ops(ops);
    }
    dnnl::matmul::primitive_desc pd;
    if (bias) {
      auto biasDesc = rowMajor({1, 1, N});
      pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(aDesc, bDesc, biasDesc, yDesc), attr, cpuEngine());
      c->bias = wrap(biasDesc, nullptr);
    } else {
      pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(aDesc, bDesc, yDesc), attr, cpuEngine());
    }
    c->prim = dnnl::matmul(pd);
    c->scratch = pd.scratchpad_desc();
    c->a = wrap(aDesc, nullptr);
    c->b = wrap(bDesc, nullptr);
    c->y = wrap(yDesc, nullptr);
    return c;
  });
  e.a.set_data_handle(const_cast<float *>(a));
  e.b.set_data_handle(const_cast<float *>(b));
  e.y.set_data_handle(y);
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, e.a},
                                             {DNNL_ARG_WEIGHTS, e.b},
                                             {DNNL_ARG_DST, e.y},
                                             {DNNL_ARG_SCRATCHPAD, scratchpad(e.scratch)}};
  if (bias) {
    e.bias.set_data_handle(const_cast<float *>(bias));
    args[DNNL_ARG_BIAS] = e.bias;
  }
  e.prim.execute(cpuStream(), args);
  cpuStream().wait();
}

}  // namespace mixup
