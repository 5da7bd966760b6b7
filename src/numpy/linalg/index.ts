/** `np.linalg`: norms and the linear-algebra helpers composed from existing primitives. */
export { norm, vectorNorm, matrixNorm, type NormOptions, type NormOrder } from "./norm.js";
export { diagonal, trace, outer, cross, multiDot, matrixPower } from "./products.js";
export { cholesky, qr, eigh, eigvalsh, svd, svdvals, type QrMode, type SvdOpts } from "./decompositions.js";
export { det, slogdet, solve, inv, lstsq, pinv, matrixRank, cond } from "./solve.js";
export { matmul } from "../../trace/array-ops.js";
export { tensordot, vecdot } from "../products.js";
export { matrixTranspose } from "../axes.js";
