import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // --expose-gc lets the memory tests drive the FinalizationRegistry safety net.
    execArgv: ["--expose-gc"],
    testTimeout: 60_000,
    setupFiles: ["test/setup/fast-check-seed.ts"],
  },
});
