/** `nn`: jax.nn's activations and normalizations, built from numpy and lax (JAX's names in camelCase). */
export { relu, relu6, leakyRelu, hardTanh, hardSigmoid, hardSilu, hardSwish, sparsePlus, sparseSigmoid } from "./rectifiers.js";
export { sigmoid, softplus, logSigmoid, softSign, silu, swish, mish, squareplus, gelu } from "./smooth.js";
export { elu, celu, selu } from "./exponential-units.js";
export { glu } from "./glu.js";
export { softmax, logSoftmax, type SoftmaxOptions } from "./softmax.js";
export { standardize, type StandardizeOptions } from "./standardize.js";
export { oneHot, type OneHotOptions } from "./one-hot.js";
export { logsumexp } from "../numpy/reductions.js";
