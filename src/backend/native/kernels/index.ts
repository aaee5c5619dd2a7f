/**
 * Every kernel the `native` backend implements in the addon, in one list (as tfjs's register_all_kernels.ts).
 * All other kernels are the cpu backend's, copied at registration.
 */
import {KernelConfig} from '@tensorflow/tfjs-core';
import {addConfig} from './Add';
import {addNConfig} from './AddN';
import {avgPoolConfig} from './AvgPool';
import {avgPoolGradConfig} from './AvgPoolGrad';
import {batchMatMulConfig} from './BatchMatMul';
import {batchNormTrainConfig, batchNormTrainGradConfig} from './BatchNormTrain';
import {conv2DConfig} from './Conv2D';
import {conv2DBackpropFilterConfig} from './Conv2DBackpropFilter';
import {conv2DBackpropInputConfig} from './Conv2DBackpropInput';
import {depthwiseConv2dNativeConfig} from './DepthwiseConv2dNative';
import {depthwiseConv2dNativeBackpropFilterConfig} from './DepthwiseConv2dNativeBackpropFilter';
import {depthwiseConv2dNativeBackpropInputConfig} from './DepthwiseConv2dNativeBackpropInput';
import {fusedBatchNormConfig} from './FusedBatchNorm';
import {fusedConv2DConfig} from './FusedConv2D';
import {fusedMatMulConfig} from './_FusedMatMul';
import {maxPoolConfig} from './MaxPool';
import {maxPoolGradConfig} from './MaxPoolGrad';
import {maximumConfig} from './Maximum';
import {meanConfig} from './Mean';
import {minimumConfig} from './Minimum';
import {multiplyConfig} from './Multiply';
import {realDivConfig} from './RealDiv';
import {reluConfig} from './Relu';
import {stepConfig} from './Step';
import {subConfig} from './Sub';
import {sumConfig} from './Sum';
import {transposeConfig} from './Transpose';

export const nativeKernelConfigs: KernelConfig[] = [
  addConfig, addNConfig, avgPoolConfig, avgPoolGradConfig, batchMatMulConfig, batchNormTrainConfig,
  batchNormTrainGradConfig, conv2DConfig, conv2DBackpropFilterConfig, conv2DBackpropInputConfig,
  depthwiseConv2dNativeConfig, depthwiseConv2dNativeBackpropFilterConfig, depthwiseConv2dNativeBackpropInputConfig,
  fusedBatchNormConfig, fusedConv2DConfig, fusedMatMulConfig, maxPoolConfig, maxPoolGradConfig, maximumConfig, meanConfig, minimumConfig,
  multiplyConfig, realDivConfig, reluConfig, stepConfig, subConfig, sumConfig, transposeConfig,
];
