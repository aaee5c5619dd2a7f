// Geometry of a 2-D (grouped) convolution over tfjs buffers: x NHWC, filter HWIO (I = IC / G), y NHWC.
// Depthwise filters [KH, KW, IC, M] are the grouped case G = IC, I = 1, OC = IC * M, with the same memory layout.
#pragma once
#include "common.h"

namespace mixup {

struct ConvShape {
  int64_t N;       // batch
  int64_t IH, IW;  // input height, width
  int64_t IC;      // input channels
  int64_t KH, KW;  // kernel height, width
  int64_t OC;      // output channels
  int64_t OH, OW;  // output height, width: OH = (IH - ((KH - 1) * DH + 1) + PT + PB) / SH + 1
  int64_t SH, SW;  // strides
  int64_t PT, PL, PB, PR;  // paddings top, left, bottom, right
  int64_t DH, DW;  // dilations (tfjs convention: 1 = dense)
  int64_t G;       // groups (1 = plain conv, IC = depthwise)

  /// From the 18 numbers the JS side passes, in the order of the fields above.
  static ConvShape fromParams(const int32_t *p);
  dims src() const { return {N, IC, IH, IW}; }
  dims dst() const { return {N, OC, OH, OW}; }
  dims weights() const { return G == 1 ? dims{OC, IC, KH, KW} : dims{G, OC / G, IC / G, KH, KW}; }
  dims strides() const { return {SH, SW}; }
  dims dilates() const { return {DH - 1, DW - 1}; }  // oneDNN counts the holes: 0 = dense
  dims padL() const { return {PT, PL}; }
  dims padR() const { return {PB, PR}; }
  /// Descriptors of the tfjs buffers.
  dnnl::memory::desc userSrc() const { return dnnl::memory::desc(src(), dt::f32, tag::nhwc); }
  dnnl::memory::desc userDst() const { return dnnl::memory::desc(dst(), dt::f32, tag::nhwc); }
  /// HWIO (grouped: output channel o of group g is column g * OC/G + o).
  dnnl::memory::desc userWeights() const;
  /// What the primitive is offered: activations `any` or nhwc (see MIXUP_DNNL_ANY), weights `any`.
  dnnl::memory::desc primSrc() const;
  dnnl::memory::desc primDst() const;
  dnnl::memory::desc primWeights() const { return dnnl::memory::desc(weights(), dt::f32, tag::any); }
  std::string cacheKey(const char *name, int64_t extra = 0) const;
  /// The forward primitive descriptor (used as the hint for both backward passes).
  dnnl::convolution_forward::primitive_desc forwardPd(bool bias, bool relu, dnnl::prop_kind kind) const;
};

/// Primitive attributes every kernel uses: user-managed scratchpad.
dnnl::primitive_attr baseAttr();

}  // namespace mixup
