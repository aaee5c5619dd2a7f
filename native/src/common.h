// Shared oneDNN state for the `native` tfjs backend: one CPU engine + stream, a primitive cache keyed by
// shape/attributes, a grow-only user scratchpad, and helpers that describe tfjs's row-major (NHWC / HWIO) buffers.
#pragma once
#include <dnnl.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace mixup {

using dims = dnnl::memory::dims;
using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

/// The process-wide CPU engine.
dnnl::engine &cpuEngine();
/// The process-wide stream on cpuEngine() (in-order; every kernel waits before returning).
dnnl::stream &cpuStream();
/// A scratchpad buffer of at least `bytes` bytes, shared by all primitives (they run one at a time).
dnnl::memory scratchpad(const dnnl::memory::desc &desc);

/// Number of entries in the primitive cache (all kernels), for tests.
size_t cacheSize();
/// Drops every cached primitive.
void clearCache();

/// Base of everything the cache keeps: a primitive plus whatever it needs between calls.
struct CacheEntry {
  virtual ~CacheEntry() = default;
};

/// The cached entry for `key`, built by `make()` on first use.
template <typename T, typename F>
T &cached(const std::string &key, F make) {
  extern std::unordered_map<std::string, std::unique_ptr<CacheEntry>> &primitiveCache();
  auto &cache = primitiveCache();
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, std::unique_ptr<CacheEntry>(make())).first;
  return *static_cast<T *>(it->second.get());
}

/// "name:1,2,3:4,5" style cache keys.
std::string key(const char *name, std::initializer_list<const dims *> parts, std::initializer_list<int64_t> extra = {});

/// A dense row-major f32 descriptor for `shape` (tfjs layout), whatever its rank.
dnnl::memory::desc rowMajor(const dims &shape);
/// A descriptor with explicit strides.
dnnl::memory::desc strided(const dims &shape, const dims &strides);
/// An f32 memory over a caller-owned buffer (a tfjs Float32Array): no copy.
inline dnnl::memory wrap(const dnnl::memory::desc &d, const float *p) {
  return dnnl::memory(d, cpuEngine(), const_cast<float *>(p));
}

/// A user buffer bound to the layout a primitive wants: reorders in (or out) only when the layouts differ.
struct Bound {
  dnnl::memory user, prim;
  bool needsReorder = false;
  dnnl::reorder toPrim, toUser;
  /// Prepares for a primitive layout `want`; `user` is re-pointed on every call with setUser().
  void init(const dnnl::memory::desc &userDesc, const dnnl::memory::desc &want, bool input);
  void setUser(const float *p) { user.set_data_handle(const_cast<float *>(p)); if (!needsReorder) prim.set_data_handle(const_cast<float *>(p)); }
  /// Reorders user -> primitive layout (inputs).
  void in();
  /// Reorders primitive -> user layout (outputs).
  void out();
};

/// Output shape of an N-d convolution/pool spatial dim: OH = (IH - ((KH - 1) * DH + 1) + PT + PB) / SH + 1.
int64_t outDim(int64_t in, int64_t k, int64_t pad0, int64_t pad1, int64_t stride, int64_t dilation);

}  // namespace mixup
