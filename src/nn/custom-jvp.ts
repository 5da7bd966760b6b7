/**
 * A function with a custom JVP rule (customJvp) that skips tracing when nothing
 * transforms it: custom_jvp_call evaluates to its body, and only a transformation
 * (jvp, grad, vmap, jit, makeJaxpr) can see the rule, so an eager call runs the body
 * directly and saves tracing it into a jaxpr on every call.
 */
import { isTransforming } from "../trace/trace.js";
import { customJvp, type CustomOptions, type JvpRuleFn } from "../transforms/custom-jvp.js";

type Fn = (...args: never[]) => unknown;

/** `customJvp(body, opts).defJvp(rule)`, calling `body` itself outside every transformation. */
export function withCustomJvp<F extends Fn>(body: F, rule: JvpRuleFn, opts: CustomOptions = {}): F {
  const custom = customJvp(body, opts).defJvp(rule);
  const f = (...args: Parameters<F>): ReturnType<F> =>
    (isTransforming() ? custom(...args) : body(...args)) as ReturnType<F>;
  Object.defineProperty(f, "name", { value: body.name });
  return f as unknown as F;
}
