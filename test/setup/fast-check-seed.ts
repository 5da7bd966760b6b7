// FC_SEED=<n> makes every fast-check property draw from seed n: CI runs one
// reproducible sample, and any failure seen elsewhere (fast-check prints its seed)
// replays with `FC_SEED=<seed> npm test`. Without it each run explores new inputs.
import fc from "fast-check";

const seed = process.env.FC_SEED;
if (seed !== undefined && seed !== "") {
  if (!/^-?\d+$/.test(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(seed)}.`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: Number(seed) });
}
