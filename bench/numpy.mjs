// NumPy as an external reference (a case's `external.numpy`, see harness.mjs): a
// workload's expression run by python3 + numpy in a subprocess on the same float32
// input, passed as raw little-endian float32 bytes in a temporary file. The subprocess
// times itself (time.perf_counter around the expression only: no process start, no
// file reading, no conversion), with the same warmup and repetition counts as the
// other libraries, and prints its samples and its result as JSON.
// When python3 or numpy is missing, the row says it was skipped and why.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

// Reads the input, runs warmup + reps repetitions of EXPR (a numpy expression in x),
// prints {"version", "samples_ms", "values"}. Arguments: file, warmup, reps, EXPR.
const SCRIPT = `
import json, sys, time
import numpy as np
path, warmup, reps, expr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
x = np.fromfile(path, dtype="<f4")
f = eval("lambda x, np: " + expr)
for _ in range(warmup):
    f(x, np)
samples = []
for _ in range(reps):
    t0 = time.perf_counter()
    out = f(x, np)
    samples.append((time.perf_counter() - t0) * 1e3)
print(json.dumps({"version": np.__version__, "dtype": str(np.asarray(out).dtype), "samples_ms": samples, "values": np.asarray(out, dtype=np.float64).ravel().tolist()}))
`;

let availability = null;
/** null when `python3 -c "import numpy"` works, else why not. */
function numpyMissing() {
  if (availability === null) {
    const r = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" });
    availability = r.error ? `python3 not runnable (${r.error.message})` : r.status !== 0 ? `python3 -c "import numpy" failed: ${r.stderr.trim().split("\n").pop()}` : "";
  }
  return availability || null;
}

/**
 * An `external.numpy` entry for a case: `expr` is a Python expression in `x` (the input,
 * a float32 ndarray) and `np`; `input` the Float32Array the other libraries get.
 */
export function numpyExternal(expr, input) {
  return ({ warmup, reps, ops }) => {
    const missing = numpyMissing();
    if (missing) return { skipped: missing };
    const dir = mkdtempSync(path.join(os.tmpdir(), "ferrax-bench-"));
    try {
      const file = path.join(dir, "x.f32");
      writeFileSync(file, new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
      const r = spawnSync("python3", ["-c", SCRIPT, file, String(warmup), String(reps), expr], { encoding: "utf8", maxBuffer: 1 << 28 });
      if (r.status !== 0) throw new Error(`python3 failed: ${(r.stderr || String(r.error)).trim().split("\n").pop()}`);
      const res = JSON.parse(r.stdout);
      return {
        samples: res.samples_ms.map((ms) => (ms * 1000) / ops),
        values: res.values,
        note: `numpy ${res.version} in a python3 subprocess, result dtype ${res.dtype}, timed by itself (${warmup} warmup + ${reps} repetitions, sequential)`,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
