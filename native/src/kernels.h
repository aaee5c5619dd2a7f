// Entry points of the native kernels (one file per tfjs kernel or family under kernels/). All buffers are
// row-major f32 owned by the caller (tfjs Float32Arrays); every function waits for its stream before returning.
#pragma once
#include "common.h"
#include "conv_shape.h"

namespace mixup {

// --- convolution (Conv2D.cc, Conv2DBackpropInput.cc, Conv2DBackpropFilter.cc) ---
void conv2d(const ConvShape &s, const float *x, const float *w, const float *bias /* or null */, bool relu, float *y);
void conv2dBackpropInput(const ConvShape &s, const float *dy, const float *w, float *dx);
void conv2dBackpropFilter(const ConvShape &s, const float *x, const float *dy, float *dw);

// --- convolution as im2col + sgemm over the tfjs buffers (ConvGemm.cc); the three functions above call these
// for the shapes convGemmWanted() picks ---
enum class ConvPass { forward, backwardData, backwardWeights };
/// Whether `pass` of this conv runs as im2col + sgemm (weights-heavy layers, 1×1 backward-weights) instead of oneDNN.
bool convGemmWanted(const ConvShape &s, ConvPass pass);
void convGemmForward(const ConvShape &s, const float *x, const float *w, const float *bias, bool relu, float *y);
void convGemmBackwardData(const ConvShape &s, const float *dy, const float *w, float *dx);
void convGemmBackwardWeights(const ConvShape &s, const float *x, const float *dy, float *dw);
/// Number of convolution passes that took the sgemm path so far (for tests).
int64_t convGemmCalls();

// --- pooling (Pool.cc, PoolGrad.cc): x [N, IH, IW, C] -> y [N, OH, OW, C] ---
struct PoolShape {
  int64_t N, IH, IW, C;    // input
  int64_t KH, KW;          // window
  int64_t OH, OW;          // output: OH = (IH - KH + PT + PB) / SH + 1
  int64_t SH, SW;          // strides
  int64_t PT, PL, PB, PR;  // paddings
  static PoolShape fromParams(const int32_t *p);
};
/// max = true: MaxPool, else AvgPool (padding excluded from the average, as tfjs does).
void pool(const PoolShape &s, bool max, const float *x, float *y);
/// MaxPoolGrad (needs x to recompute the argmax workspace) or AvgPoolGrad (x unused).
void poolGrad(const PoolShape &s, bool max, const float *x, const float *dy, float *dx);

// --- training batch norm over NHWC (BatchNorm.cc) ---
/// y = gamma (x - mean) / sqrt(var + eps) + beta; mean, var (biased) over N, H, W.
void batchNormTrain(const dims &nhwc, float eps, const float *x, const float *gamma, const float *beta, float *y,
                    float *mean, float *var);
/// dx, dgamma, dbeta from dy and the forward's x, gamma, mean, var.
void batchNormTrainGrad(const dims &nhwc, float eps, const float *x, const float *gamma, const float *mean,
                        const float *var, const float *dy, float *dx, float *dgamma, float *dbeta);

/// tfjs FusedBatchNorm over rows × C (channels last): y = offset + (x − mean)·scale / √(var + eps), in doubles like
/// the cpu kernel; scale/offset may be null (1 / 0).
void batchNormInference(int64_t rows, int64_t C, double eps, const float *x, const float *mean, const float *var,
                        const float *scale, const float *offset, float *y);

// --- matmul (BatchMatMul.cc): a [BA, M, K] (x) b [BB, K, N] -> y [B, M, N], BA/BB = B or 1 ---
void batchMatMul(int64_t BA, int64_t BB, int64_t M, int64_t K, int64_t N, bool transA, bool transB, const float *a,
                 const float *b, const float *bias /* [N] or null */, bool relu, float *y);

// --- element-wise (Binary.cc, Unary.cc, AddN.cc) ---
/// y = a op b, a has y's shape, b broadcasts (same rank, 1 where broadcast). op: dnnl binary algorithm.
void binary(dnnl::algorithm op, const dims &shapeA, const dims &shapeB, const float *a, const float *b, float *y);
/// y = max(x, 0).
void relu(int64_t n, const float *x, float *y);
/// y = x > 0 ? 1 : alpha (NaN stays NaN).
void step(int64_t n, float alpha, const float *x, float *y);
/// y = sum of the inputs, all of n elements.
void addN(int64_t n, const std::vector<const float *> &xs, float *y);

// --- reductions and layout (Reduce.cc, Transpose.cc) ---
/// y = reduce(x) over the axes where outShape is 1 (outShape has x's rank). op: reduction_sum/mean/max/min.
void reduce(dnnl::algorithm op, const dims &shape, const dims &outShape, const float *x, float *y);
/// y[i0..] = x permuted: y.shape[i] = x.shape[perm[i]].
void transpose(const dims &shape, const dims &perm, const float *x, float *y);

// --- optimizer (Sgd.cc) ---
/// Hyper-parameters of one momentum-SGD step, each already rounded to f32 as tfjs does with a JS number operand.
struct SgdHyper {
  float lr, momentum, weightDecay;
  bool dampening;     // dampening != 0: the new gradient is multiplied by `dampened` = f32(1 - dampening)
  float dampened;
  bool nesterov;
  bool hasGradScale;  // clip_grad_norm_: g is multiplied by gradScale first
  float gradScale;
};
/// In place over n elements: p (parameter), buf (momentum buffer, or null when momentum is 0; `first`: buf = d).
void sgdStep(int64_t n, const SgdHyper &h, float *p, const float *g, float *buf, bool first);

}  // namespace mixup
