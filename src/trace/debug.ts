/** Debugging aids that cost time on every operation, off by default. */
export const debugOptions = {
  /** Record the call stacks of dispose() and tidy() so use-after-dispose errors can say where. */
  disposeSites: false,
  /** Record where each transformation was called so escaped-tracer errors can say where. */
  traceSites: false,
};

/** Turns debugging aids on or off. */
export function setDebug(opts: Partial<typeof debugOptions>): void {
  Object.assign(debugOptions, opts);
}
