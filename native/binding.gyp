{
  "targets": [
    {
      "target_name": "mixup_native",
      "sources": [
        "src/binding.cc",
        "src/common.cc",
        "src/conv_shape.cc",
        "src/kernels/AddN.cc",
        "src/kernels/BatchMatMul.cc",
        "src/kernels/BatchNorm.cc",
        "src/kernels/Binary.cc",
        "src/kernels/Conv2D.cc",
        "src/kernels/Conv2DBackpropFilter.cc",
        "src/kernels/Conv2DBackpropInput.cc",
        "src/kernels/ConvGemm.cc",
        "src/kernels/Pool.cc",
        "src/kernels/PoolGrad.cc",
        "src/kernels/Reduce.cc",
        "src/kernels/Sgd.cc",
        "src/kernels/Transpose.cc",
        "src/kernels/Unary.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "src"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fopenmp", "-fexceptions"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldnnl"]
    }
  ]
}
