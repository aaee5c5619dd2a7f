// Convolution as im2col + one sgemm, directly over tfjs's buffers (x/dy NHWC, filter HWIO): no weight reorder.
// With M = N·OH·OW output pixels and K = KH·KW·IC filter taps, tfjs's HWIO filter is a row-major [K, OC] matrix and
// the NHWC output a row-major [M, OC] one, so
//     forward        y [M, OC]  = col [M, K] · W [K, OC]          (col = im2col(x): row m = the taps under pixel m)
//     backward-data  dcol [M, K] = dy [M, OC] · Wᵀ,  dx = col2im(dcol)
//     backward-wt    dW [K, OC] = colᵀ · dy [M, OC]
// oneDNN's direct convolutions are slow on "weights-heavy" layers (few output pixels per filter tap: the 2×2 and 4×4
// stages of ResNet-18, where the weights also need a reorder per call) and on 1×1 backward-weights with few input
// channels; convGemmWanted() picks this path for those shapes (docs/native-backend.md has the measurements).
#include <omp.h>

#include <cstring>
#include <stdexcept>

#include "kernels.h"

namespace mixup {

namespace {
int64_t gemmCalls = 0;

/// A grow-only buffer for the col matrix (kernels run one at a time).
float *colBuffer(int64_t n) {
  static std::vector<float> buffer;
  if (static_cast<int64_t>(buffer.size()) < n) {
    buffer.clear();
    buffer.shrink_to_fit();
    buffer.resize(n);
  }
  return buffer.data();
}

/// A 1×1, stride-1, unpadded conv: x itself is the col matrix.
bool pointwise(const ConvShape &s) {
  return s.KH == 1 && s.KW == 1 && s.SH == 1 && s.SW == 1 && s.PT == 0 && s.PL == 0 && s.PB == 0 && s.PR == 0;
}

/// Row-major C [M, N] = op(A) · op(B) (alpha 1, beta 0) on oneDNN's sgemm.
void sgemm(char ta, char tb, int64_t M, int64_t N, int64_t K, const float *A, int64_t lda, const float *B,
           int64_t ldb, float *C, int64_t ldc) {
  dnnl_status_t st = dnnl_sgemm(ta, tb, M, N, K, 1.f, A, lda, B, ldb, 0.f, C, ldc);
  if (st != dnnl_success) throw dnnl::error(st, "dnnl_sgemm");
}

/// col [M, K]: row (n, oh, ow) holds x[n, ih, iw, :] for every tap (kh, kw), zeros where the tap is in the padding.
void im2col(const ConvShape &s, const float *x, float *col) {
  const int64_t M = s.N * s.OH * s.OW, K = s.KH * s.KW * s.IC, rowBytes = s.IC * sizeof(float);
#pragma omp parallel for schedule(static)
  for (int64_t m = 0; m < M; ++m) {
    const int64_t n = m / (s.OH * s.OW), oh = (m / s.OW) % s.OH, ow = m % s.OW;
    float *row = col + m * K;
    for (int64_t kh = 0; kh < s.KH; ++kh) {
      const int64_t ih = oh * s.SH - s.PT + kh * s.DH;
      for (int64_t kw = 0; kw < s.KW; ++kw) {
        const int64_t iw = ow * s.SW - s.PL + kw * s.DW;
        float *dst = row + (kh * s.KW + kw) * s.IC;
        if (ih < 0 || ih >= s.IH || iw < 0 || iw >= s.IW) std::memset(dst, 0, rowBytes);
        else std::memcpy(dst, x + ((n * s.IH + ih) * s.IW + iw) * s.IC, rowBytes);
      }
    }
  }
}

/// dx [N, IH, IW, IC] = Σ over the (pixel, tap) pairs that read it of dcol: each input pixel sums its own taps (a
/// gather, so threads never write the same element and the order of the sum is fixed).
void col2im(const ConvShape &s, const float *dcol, float *dx) {
  const int64_t K = s.KH * s.KW * s.IC, P = s.N * s.IH * s.IW;
#pragma omp parallel for schedule(static)
  for (int64_t p = 0; p < P; ++p) {
    const int64_t n = p / (s.IH * s.IW), ih = (p / s.IW) % s.IH, iw = p % s.IW;
    float *out = dx + p * s.IC;
    std::memset(out, 0, s.IC * sizeof(float));
    for (int64_t kh = 0; kh < s.KH; ++kh) {
      const int64_t th = ih + s.PT - kh * s.DH;  // = oh · SH for the output row that reads ih through tap kh
      if (th < 0 || th % s.SH != 0 || th / s.SH >= s.OH) continue;
      for (int64_t kw = 0; kw < s.KW; ++kw) {
        const int64_t tw = iw + s.PL - kw * s.DW;
        if (tw < 0 || tw % s.SW != 0 || tw / s.SW >= s.OW) continue;
        const float *src = dcol + ((n * s.OH + th / s.SH) * s.OW + tw / s.SW) * K + (kh * s.KW + kw) * s.IC;
        for (int64_t c = 0; c < s.IC; ++c) out[c] += src[c];
      }
    }
  }
}
/// The col matrix of x: x itself for a pointwise conv, else im2col(x) in the col buffer.
const float *colOf(const ConvShape &s, const float *x) {
  if (pointwise(s)) return x;
  float *col = colBuffer(s.N * s.OH * s.OW * s.KH * s.KW * s.IC);
  im2col(s, x, col);
  return col;
}
}  // namespace

bool convGemmWanted(const ConvShape &s, ConvPass pass) {
  if (s.G != 1) return false;
  const int64_t M = s.N * s.OH * s.OW, K = s.KH * s.KW * s.IC;
  // oneDNN 2.6's jit_1x1 backward-weights with a stride (its "reduce to unit stride" copy) computes wrong and
  // run-to-run different gradients when IC is not a multiple of 8 (IC 3/4/5 measured; ResNet_CIFAR base 4's
  // downsample convs): those shapes always take the gemm path.
  if (pass == ConvPass::backwardWeights && s.KH * s.KW == 1 && (s.SH > 1 || s.SW > 1) && s.IC % 8 != 0) return true;
  if (pass == ConvPass::backwardWeights) return K >= 2 * M || (s.KH * s.KW == 1 && s.IC >= 32 && s.IC <= 128);
  return K >= 16 * M;
}

int64_t convGemmCalls() { return gemmCalls; }

void convGemmForward(const ConvShape &s, const float *x, const float *w, const float *bias, bool relu, float *y) {
  ++gemmCalls;
  const int64_t M = s.N * s.OH * s.OW, K = s.KH * s.KW * s.IC, OC = s.OC;
  sgemm('N', 'N', M, OC, K, colOf(s, x), K, w, OC, y, OC);
  if (!bias && !relu) return;
#pragma omp parallel for schedule(static)
  for (int64_t m = 0; m < M; ++m) {
    float *row = y + m * OC;
    for (int64_t o = 0; o < OC; ++o) {
      float v = bias ? row[o] + bias[o] : row[o];
      row[o] = relu && v < 0.f ? 0.f : v;
    }
  }
}

void convGemmBackwardData(const ConvShape &s, const float *dy, const float *w, float *dx) {
  ++gemmCalls;
  const int64_t M = s.N * s.OH * s.OW, K = s.KH * s.KW * s.IC, OC = s.OC;
  if (pointwise(s)) return sgemm('N', 'T', M, K, OC, dy, OC, w, OC, dx, K);
  float *dcol = colBuffer(M * K);
  sgemm('N', 'T', M, K, OC, dy, OC, w, OC, dcol, K);
  col2im(s, dcol, dx);
}

void convGemmBackwardWeights(const ConvShape &s, const float *x, const float *dy, float *dw) {
  ++gemmCalls;
  const int64_t M = s.N * s.OH * s.OW, K = s.KH * s.KW * s.IC, OC = s.OC;
  sgemm('T', 'N', K, OC, M, colOf(s, x), K, dy, OC, dw, OC);
}

}  // namespace mixup
