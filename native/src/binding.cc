// N-API layer of the `native` tfjs backend: checks argument counts, types and buffer sizes, converts, and
// delegates to the kernels (kernels/*.cc). oneDNN errors become JS errors carrying the dnnl status name.
#include <dnnl_debug.h>
#include <omp.h>

#include "kernels.h"
#include "napi_utils.h"

namespace mixup {
namespace {

/// Runs `body`, turning dnnl::error / std::exception into a JS Error.
template <typename F>
Napi::Value guarded(const Napi::CallbackInfo &info, F body) {
  try {
    body();
  } catch (const dnnl::error &e) {
    THROW(info.Env(), std::string("oneDNN ") + dnnl_status2str(e.status) + ": " + e.what());
  } catch (const Napi::Error &) {
    throw;
  } catch (const std::exception &e) {
    THROW(info.Env(), e.what());
  }
  return info.Env().Undefined();
}

// conv2d(x, w, bias | null, relu, y, params: Int32Array(18) = ConvShape fields)
Napi::Value Conv2D(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "conv2d", 6);
    auto s = ConvShape::fromParams(a.i32(5, 18));
    conv2d(s, a.f32(0, numel(s.src())), a.f32(1, numel(s.weights())), a.f32(2, s.OC, true), a.boolean(3),
           a.f32(4, numel(s.dst())));
  });
}

// conv2dBackpropInput(dy, w, dx, params)
Napi::Value Conv2DBackpropInput(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "conv2dBackpropInput", 4);
    auto s = ConvShape::fromParams(a.i32(3, 18));
    conv2dBackpropInput(s, a.f32(0, numel(s.dst())), a.f32(1, numel(s.weights())), a.f32(2, numel(s.src())));
  });
}

// conv2dBackpropFilter(x, dy, dw, params)
Napi::Value Conv2DBackpropFilter(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "conv2dBackpropFilter", 4);
    auto s = ConvShape::fromParams(a.i32(3, 18));
    conv2dBackpropFilter(s, a.f32(0, numel(s.src())), a.f32(1, numel(s.dst())), a.f32(2, numel(s.weights())));
  });
}

// pool(x, y, params: Int32Array(14) = PoolShape fields, max)
Napi::Value Pool(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "pool", 4);
    auto s = PoolShape::fromParams(a.i32(2, 14));
    pool(s, a.boolean(3), a.f32(0, s.N * s.IH * s.IW * s.C), a.f32(1, s.N * s.OH * s.OW * s.C));
  });
}

// poolGrad(x | null (avg), dy, dx, params, max)
Napi::Value PoolGrad(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "poolGrad", 5);
    auto s = PoolShape::fromParams(a.i32(3, 14));
    const bool max = a.boolean(4);
    const int64_t in = s.N * s.IH * s.IW * s.C, out = s.N * s.OH * s.OW * s.C;
    poolGrad(s, max, a.f32(0, in, !max), a.f32(1, out), a.f32(2, in));
  });
}

// batchNormTrain(x, gamma, beta, y, mean, variance, shape [N, H, W, C], eps)
Napi::Value BatchNormTrain(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "batchNormTrain", 8);
    auto shape = a.shape(6);
    if (shape.size() != 4) a.fail(6, "an NHWC shape of 4 numbers");
    const int64_t n = numel(shape), c = shape[3];
    batchNormTrain(shape, static_cast<float>(a.number(7)), a.f32(0, n), a.f32(1, c), a.f32(2, c), a.f32(3, n),
                   a.f32(4, c), a.f32(5, c));
  });
}

// batchNormTrainGrad(x, gamma, mean, variance, dy, dx, dgamma, dbeta, shape, eps)
Napi::Value BatchNormTrainGrad(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "batchNormTrainGrad", 10);
    auto shape = a.shape(8);
    if (shape.size() != 4) a.fail(8, "an NHWC shape of 4 numbers");
    const int64_t n = numel(shape), c = shape[3];
    batchNormTrainGrad(shape, static_cast<float>(a.number(9)), a.f32(0, n), a.f32(1, c), a.f32(2, c), a.f32(3, c),
                       a.f32(4, n), a.f32(5, n), a.f32(6, c), a.f32(7, c));
  });
}

// batchNormInference(x, mean, variance, scale | null, offset | null, y, channels, eps): x is [..., channels]
Napi::Value BatchNormInference(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "batchNormInference", 8);
    if (!info[0].IsTypedArray()) a.fail(0, "a Float32Array");
    const int64_t n = info[0].As<Napi::TypedArray>().ElementLength(), c = static_cast<int64_t>(a.number(6));
    if (c <= 0 || n % c != 0) a.fail(6, "a channel count that divides the length of argument 0");
    batchNormInference(n / c, c, a.number(7), a.f32(0, n), a.f32(1, c), a.f32(2, c), a.f32(3, c, true),
                       a.f32(4, c, true), a.f32(5, n));
  });
}

// batchMatMul(a, b, bias | null, relu, y, [BA, BB, M, K, N, transA, transB])
Napi::Value BatchMatMul(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "batchMatMul", 6);
    auto p = a.shape(5);
    if (p.size() != 7) a.fail(5, "[BA, BB, M, K, N, transA, transB]");
    const int64_t BA = p[0], BB = p[1], M = p[2], K = p[3], N = p[4], B = BA > BB ? BA : BB;
    batchMatMul(BA, BB, M, K, N, p[5] != 0, p[6] != 0, a.f32(0, BA * M * K), a.f32(1, BB * K * N), a.f32(2, N, true),
                a.boolean(3), a.f32(4, B * M * N));
  });
}

dnnl::algorithm algorithmNamed(const Args &a, size_t i, const std::string &name) {
  using alg = dnnl::algorithm;
  static const std::unordered_map<std::string, alg> table{
      {"add", alg::binary_add},       {"sub", alg::binary_sub},       {"mul", alg::binary_mul},
      {"div", alg::binary_div},       {"max", alg::binary_max},       {"min", alg::binary_min},
      {"sum", alg::reduction_sum},    {"mean", alg::reduction_mean},  {"rmax", alg::reduction_max},
      {"rmin", alg::reduction_min}};
  auto it = table.find(name);
  if (it == table.end()) a.fail(i, "an operation name (add, sub, mul, div, max, min, sum, mean, rmax, rmin)");
  return it->second;
}

// binary(op, a, b, y, shapeA, shapeB): y has shapeA; shapeB has the same rank with 1 on broadcast axes.
Napi::Value Binary(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "binary", 6);
    auto op = algorithmNamed(a, 0, a.string(0));
    auto sa = a.shape(4), sb = a.shape(5);
    if (sa.size() != sb.size()) a.fail(5, "a shape of the same rank as argument 4");
    binary(op, sa, sb, a.f32(1, numel(sa)), a.f32(2, numel(sb)), a.f32(3, numel(sa)));
  });
}

// relu(x, y)
Napi::Value Relu(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "relu", 2);
    if (!info[0].IsTypedArray()) a.fail(0, "a Float32Array");
    const int64_t n = info[0].As<Napi::TypedArray>().ElementLength();
    relu(n, a.f32(0, n), a.f32(1, n));
  });
}

// step(x, y, alpha)
Napi::Value Step(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "step", 3);
    if (!info[0].IsTypedArray()) a.fail(0, "a Float32Array");
    const int64_t n = info[0].As<Napi::TypedArray>().ElementLength();
    step(n, static_cast<float>(a.number(2)), a.f32(0, n), a.f32(1, n));
  });
}

// addN([x0, x1, ...], y)
Napi::Value AddN(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "addN", 2);
    if (!info[1].IsTypedArray()) a.fail(1, "a Float32Array");
    const int64_t n = info[1].As<Napi::TypedArray>().ElementLength();
    auto list = a.array(0);
    std::vector<const float *> xs;
    for (uint32_t k = 0; k < list.Length(); ++k) {
      Napi::Value v = list[k];
      if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
          static_cast<int64_t>(v.As<Napi::Float32Array>().ElementLength()) != n)
        a.fail(0, "an array of Float32Arrays as long as the output");
      xs.push_back(v.As<Napi::Float32Array>().Data());
    }
    if (xs.empty()) a.fail(0, "a non-empty array");
    addN(n, xs, a.f32(1, n));
  });
}

// reduce(op, x, y, shape, outShape)
Napi::Value Reduce(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "reduce", 5);
    auto op = algorithmNamed(a, 0, a.string(0));
    auto s = a.shape(3), o = a.shape(4);
    if (s.size() != o.size()) a.fail(4, "a shape of the same rank as argument 3");
    reduce(op, s, o, a.f32(1, numel(s)), a.f32(2, numel(o)));
  });
}

// transpose(x, y, shape, perm)
Napi::Value Transpose(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "transpose", 4);
    auto s = a.shape(2), p = a.shape(3);
    if (s.size() != p.size()) a.fail(3, "a permutation of the same rank as argument 2");
    transpose(s, p, a.f32(0, numel(s)), a.f32(1, numel(s)));
  });
}

/// Element k of argument i (an array) as a Float32Array of n elements (or null when `nullable`).
float *f32At(const Args &a, Napi::Array list, size_t i, uint32_t k, int64_t n, bool nullable, const char *what) {
  Napi::Value v = list[k];
  if (nullable && (v.IsNull() || v.IsUndefined())) return nullptr;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
      (n >= 0 && static_cast<int64_t>(v.As<Napi::Float32Array>().ElementLength()) != n))
    a.fail(i, std::string("an array of Float32Arrays (") + what + ")");
  return v.As<Napi::Float32Array>().Data();
}

// sgdStep(params[], grads[], buffers[] (null entries: no momentum), first: boolean[],
//         hyper [lr, momentum, weightDecay, dampening, nesterov 0|1, hasGradScale 0|1, gradScale]): in place
Napi::Value SgdStep(const Napi::CallbackInfo &info) {
  return guarded(info, [&] {
    Args a(info, "sgdStep", 5);
    auto ps = a.array(0), gs = a.array(1), bs = a.array(2), firsts = a.array(3);
    auto h = a.numbers(4);
    if (h.size() != 7) a.fail(4, "[lr, momentum, weightDecay, dampening, nesterov, hasGradScale, gradScale]");
    const uint32_t count = ps.Length();
    if (gs.Length() != count) a.fail(1, "an array as long as argument 0");
    if (bs.Length() != count) a.fail(2, "an array as long as argument 0");
    if (firsts.Length() != count) a.fail(3, "an array as long as argument 0");
    SgdHyper hyper{static_cast<float>(h[0]), static_cast<float>(h[1]), static_cast<float>(h[2]), h[3] != 0,
                   static_cast<float>(1 - h[3]), h[4] != 0, h[5] != 0, static_cast<float>(h[6])};
    struct Item { int64_t n; float *p, *g, *b; bool first; };
    std::vector<Item> items;  // everything is checked before anything is written
    for (uint32_t k = 0; k < count; ++k) {
      float *p = f32At(a, ps, 0, k, -1, false, "parameters");
      const int64_t n = ps.Get(k).As<Napi::Float32Array>().ElementLength();
      float *g = f32At(a, gs, 1, k, n, false, "gradients, each as long as its parameter");
      float *b = f32At(a, bs, 2, k, n, true, "momentum buffers or null, each as long as its parameter");
      Napi::Value f = firsts[k];
      if (!f.IsBoolean()) a.fail(3, "an array of booleans");
      items.push_back({n, p, g, b, f.As<Napi::Boolean>().Value()});
    }
    for (const auto &it : items) sgdStep(it.n, hyper, it.p, it.g, it.b, it.first);
  });
}

/// src/backend/native/addon.ts ADDON_SOURCE_VERSION: bumped when the addon changes behaviour without a new function.
constexpr int kSourceVersion = 2;

// info() -> {dnnlVersion, cpuRuntime, threads, cacheSize, sourceVersion, convGemmCalls}
Napi::Value Info(const Napi::CallbackInfo &info) {
  auto env = info.Env();
  const dnnl_version_t *v = dnnl_version();
  auto o = Napi::Object::New(env);
  o.Set("dnnlVersion", std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch));
  o.Set("cpuRuntime", v->cpu_runtime == DNNL_RUNTIME_OMP ? "omp" : "other");
  o.Set("threads", omp_get_max_threads());
  o.Set("cacheSize", static_cast<double>(cacheSize()));
  o.Set("sourceVersion", kSourceVersion);
  o.Set("convGemmCalls", static_cast<double>(convGemmCalls()));
  return o;
}

Napi::Value ClearCache(const Napi::CallbackInfo &info) {
  clearCache();
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2d", Napi::Function::New(env, Conv2D));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2DBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2DBackpropFilter));
  exports.Set("pool", Napi::Function::New(env, Pool));
  exports.Set("poolGrad", Napi::Function::New(env, PoolGrad));
  exports.Set("batchNormTrain", Napi::Function::New(env, BatchNormTrain));
  exports.Set("batchNormTrainGrad", Napi::Function::New(env, BatchNormTrainGrad));
  exports.Set("batchNormInference", Napi::Function::New(env, BatchNormInference));
  exports.Set("batchMatMul", Napi::Function::New(env, BatchMatMul));
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("relu", Napi::Function::New(env, Relu));
  exports.Set("step", Napi::Function::New(env, Step));
  exports.Set("addN", Napi::Function::New(env, AddN));
  exports.Set("reduce", Napi::Function::New(env, Reduce));
  exports.Set("transpose", Napi::Function::New(env, Transpose));
  exports.Set("sgdStep", Napi::Function::New(env, SgdStep));
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("clearCache", Napi::Function::New(env, ClearCache));
  return exports;
}

}  // namespace
}  // namespace mixup

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return mixup::Init(env, exports); }

NODE_API_MODULE(mixup_native, InitModule)
