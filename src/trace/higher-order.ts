/**
 * Eager evaluation of the higher-order primitives: they run the jaxpr in their
 * params (binding each equation in the current trace), never a backend kernel.
 */
import { FerraxError } from "../core/index.js";
import type { Array } from "./array.js";
import { evalJaxpr } from "./jaxpr.js";
import { tidy } from "./memory.js";
import { Prim, type HigherOrderPrim, type PrimParams } from "./prim.js";

type Impl<P extends HigherOrderPrim> = (args: readonly Array[], params: PrimParams<P>) => Array[];

export const higherOrderImpls: { [P in HigherOrderPrim]: Impl<P> } = {
  [Prim.CustomJvpCall]: (args, p) => tidy(() => evalJaxpr(p.callJaxpr.jaxpr, p.callJaxpr.consts, args)),
  [Prim.CustomVjpCall]: (args, p) => tidy(() => evalJaxpr(p.callJaxpr.jaxpr, p.callJaxpr.consts, args)),
  // Intermediates of a checkpointed function are never saved: free them as soon as its outputs exist.
  [Prim.Checkpoint]: (args, p) => tidy(() => evalJaxpr(p.jaxpr.jaxpr, p.jaxpr.consts, args)),
  // custom_lin only exists between linearization and transposition (JAX's message).
  [Prim.CustomLin]: () => {
    throw new FerraxError(
      "custom_lin: can't apply forward-mode autodiff (jvp) to a customVjp function; use reverse mode " +
        "(grad, vjp, jacrev), or give the function a customJvp rule instead.",
    );
  },
};
