// Relu and Step (the relu gradient is dy * step(x)): plain loops over both cores (OpenMP).
#include <cmath>

#include "kernels.h"

namespace mixup {

void relu(int64_t n, const float *x, float *y) {
#pragma omp parallel for simd schedule(static) if (n > 65536)
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] > 0.f ? x[i] : (std::isnan(x[i]) ? x[i] : 0.f);
}

void step(int64_t n, float alpha, const float *x, float *y) {
#pragma omp parallel for simd schedule(static) if (n > 65536)
  for (int64_t i = 0; i < n; ++i) y[i] = std::isnan(x[i]) ? x[i] : (x[i] > 0.f ? 1.f : alpha);
}

}  // namespace mixup
