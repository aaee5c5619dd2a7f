// N-API argument helpers for binding.cc: every check throws a JS TypeError/Error that names the function,
// the argument and the source line (THROW records __FILE__/__LINE__).
#pragma once
#include <napi.h>

#include <string>
#include <vector>

#include "common.h"

#define THROW(env, msg) \
  throw Napi::Error::New(env, std::string("mixup native: ") + (msg) + " (" + __FILE__ + ":" + std::to_string(__LINE__) + ")")

namespace mixup {

/// Arguments of one binding call, with typed accessors that validate as they convert.
class Args {
 public:
  Args(const Napi::CallbackInfo &info, const char *fn, size_t expected) : info_(info), fn_(fn) {
    if (info.Length() != expected)
      THROW(info.Env(), std::string(fn) + "() expects " + std::to_string(expected) + " arguments but got " +
                            std::to_string(info.Length()));
  }
  /// A Float32Array of exactly `n` elements (or null when `nullable`).
  float *f32(size_t i, int64_t n, bool nullable = false) const {
    const Napi::Value v = info_[i];
    if (nullable && (v.IsNull() || v.IsUndefined())) return nullptr;
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) fail(i, "a Float32Array");
    auto a = v.As<Napi::Float32Array>();
    if (static_cast<int64_t>(a.ElementLength()) != n)
      fail(i, "a Float32Array of " + std::to_string(n) + " elements, got " + std::to_string(a.ElementLength()));
    return a.Data();
  }
  /// An Int32Array of exactly `n` elements.
  const int32_t *i32(size_t i, size_t n) const {
    const Napi::Value v = info_[i];
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
        v.As<Napi::Int32Array>().ElementLength() != n)
      fail(i, "an Int32Array of " + std::to_string(n) + " elements");
    return v.As<Napi::Int32Array>().Data();
  }
  /// An array of integers (a shape or permutation).
  dims shape(size_t i) const {
    const Napi::Value v = info_[i];
    if (!v.IsArray()) fail(i, "an array of integers");
    auto a = v.As<Napi::Array>();
    dims out(a.Length());
    for (uint32_t k = 0; k < a.Length(); ++k) {
      Napi::Value e = a[k];
      if (!e.IsNumber()) fail(i, "an array of integers");
      out[k] = e.As<Napi::Number>().Int64Value();
    }
    return out;
  }
  /// An array of numbers (doubles).
  std::vector<double> numbers(size_t i) const {
    const Napi::Value v = info_[i];
    if (!v.IsArray()) fail(i, "an array of numbers");
    auto a = v.As<Napi::Array>();
    std::vector<double> out(a.Length());
    for (uint32_t k = 0; k < a.Length(); ++k) {
      Napi::Value e = a[k];
      if (!e.IsNumber()) fail(i, "an array of numbers");
      out[k] = e.As<Napi::Number>().DoubleValue();
    }
    return out;
  }
  double number(size_t i) const {
    if (!info_[i].IsNumber()) fail(i, "a number");
    return info_[i].As<Napi::Number>().DoubleValue();
  }
  bool boolean(size_t i) const {
    if (!info_[i].IsBoolean()) fail(i, "a boolean");
    return info_[i].As<Napi::Boolean>().Value();
  }
  std::string string(size_t i) const {
    if (!info_[i].IsString()) fail(i, "a string");
    return info_[i].As<Napi::String>().Utf8Value();
  }
  Napi::Array array(size_t i) const {
    if (!info_[i].IsArray()) fail(i, "an array");
    return info_[i].As<Napi::Array>();
  }
  [[noreturn]] void fail(size_t i, const std::string &what) const {
    throw Napi::TypeError::New(info_.Env(), std::string("mixup native: ") + fn_ + "() argument " + std::to_string(i) +
                                                " must be " + what);
  }

 private:
  const Napi::CallbackInfo &info_;
  const char *fn_;
};

/// Product of the dims.
inline int64_t numel(const dims &d) {
  int64_t n = 1;
  for (auto v : d) n *= v;
  return n;
}

}  // namespace mixup
