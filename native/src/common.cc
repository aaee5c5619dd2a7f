#include "common.h"

#include <sstream>

namespace mixup {

dnnl::engine &cpuEngine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

dnnl::stream &cpuStream() {
  static dnnl::stream s(cpuEngine());
  return s;
}

dnnl::memory scratchpad(const dnnl::memory::desc &desc) {
  static std::vector<uint8_t> buffer;
  size_t bytes = desc.get_size();
  if (buffer.size() < bytes) {
    buffer.clear();
    buffer.shrink_to_fit();
    buffer.resize(bytes);
  }
  return dnnl::memory(desc, cpuEngine(), buffer.data());
}

std::unordered_map<std::string, std::unique_ptr<CacheEntry>> &primitiveCache() {
  static std::unordered_map<std::string, std::unique_ptr<CacheEntry>> cache;
  return cache;
}

size_t cacheSize() { return primitiveCache().size(); }
void clearCache() { primitiveCache().clear(); }

std::string key(const char *name, std::initializer_list<const dims *> parts, std::initializer_list<int64_t> extra) {
  std::ostringstream os;
  os << name;
  for (const dims *p : parts) {
    os << ':';
    for (auto v : *p) os << v << ',';
  }
  os << '|';
  for (auto v : extra) os << v << ',';
  return os.str();
}

dnnl::memory::desc strided(const dims &shape, const dims &strides) { return dnnl::memory::desc(shape, dt::f32, strides); }

dnnl::memory::desc rowMajor(const dims &shape) {
  dims st(shape.size());
  int64_t s = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    st[i] = s;
    s *= shape[i];
  }
  return strided(shape, st);
}

void Bound::init(const dnnl::memory::desc &userDesc, const dnnl::memory::desc &want, bool input) {
  user = dnnl::memory(userDesc, cpuEngine(), nullptr);
  needsReorder = want != userDesc;
  if (needsReorder) {
    prim = dnnl::memory(want, cpuEngine());
    if (input) toPrim = dnnl::reorder(user, prim);
    else toUser = dnnl::reorder(prim, user);
  } else {
    prim = dnnl::memory(userDesc, cpuEngine(), nullptr);
  }
}

void Bound::in() {
  if (needsReorder) toPrim.execute(cpuStream(), user, prim);
}

void Bound::out() {
  if (needsReorder) toUser.execute(cpuStream(), prim, user);
}

int64_t outDim(int64_t in, int64_t k, int64_t pad0, int64_t pad1, int64_t stride, int64_t dilation) {
  return (in - ((k - 1) * dilation + 1) + pad0 + pad1) / stride + 1;
}

}  // namespace mixup
