// Headless-browser smoke test of the built package (run by .ci/run after dist/ is built):
// serves the repo root on 127.0.0.1, opens test/browser/index.html in headless Chromium,
// and waits for smoke.js to write PASS or FAIL into the page. Talks to Chromium over
// --remote-debugging-pipe (the DevTools protocol as NUL-separated JSON on fds 3 and 4),
// so it needs no npm packages and no debugging port.
//
//   node test/browser/run.mjs
//
// Env: CHROMIUM (browser binary, default "chromium"), BROWSER_SMOKE_TIMEOUT_MS (default 60000).
// Exits 0 on PASS, 1 on FAIL, timeout or a browser that will not start; always kills the
// browser it started and removes its temporary profile.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PAGE_PATH, startServer } from "./server.mjs";

const CHROMIUM = process.env.CHROMIUM || "chromium";
const TIMEOUT_MS = Number(process.env.BROWSER_SMOKE_TIMEOUT_MS || 60_000);
const KERNELS_PATH = "/dist/backends/wasm/kernels.wasm";
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Waits for `promise`, but at most `ms` (clearing the timer, so nothing lingers afterwards). */
async function atMost(ms, promise) {
  let timer;
  try {
    return await Promise.race([promise, new Promise((ok) => (timer = setTimeout(ok, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The last `max` lines written to a stream, for diagnostics. */
function tail(stream, max = 40) {
  const lines = [];
  let partial = "";
  stream?.setEncoding("utf8");
  stream?.on("data", (chunk) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop();
    lines.push(...parts);
    if (lines.length > max) lines.splice(0, lines.length - max);
  });
  return () => [...lines, ...(partial ? [partial] : [])];
}

/** A DevTools-protocol client over Chromium's --remote-debugging-pipe. */
class Cdp {
  #nextId = 1;
  #pending = new Map();
  #listeners = [];
  #buffer = "";
  #closed = null;

  /** The error that ended the connection, or null while it is open. */
  get closed() {
    return this.#closed;
  }

  constructor(writable, readable) {
    this.writable = writable;
    readable.setEncoding("utf8");
    readable.on("data", (chunk) => {
      this.#buffer += chunk;
      let end;
      while ((end = this.#buffer.indexOf("\0")) >= 0) {
        const message = JSON.parse(this.#buffer.slice(0, end));
        this.#buffer = this.#buffer.slice(end + 1);
        if (message.id !== undefined) {
          const pending = this.#pending.get(message.id);
          this.#pending.delete(message.id);
          if (message.error) pending?.fail(new Error(`${pending.method}: ${message.error.message}`));
          else pending?.ok(message.result);
        } else {
          for (const listener of this.#listeners) listener(message);
        }
      }
    });
    writable.on("error", () => {}); // a dead browser surfaces through the exit handler
  }

  send(method, params = {}, sessionId) {
    if (this.#closed) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    return new Promise((ok, fail) => {
      this.#pending.set(id, { ok, fail, method });
      this.writable.write(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }) + "\0");
    });
  }

  on(listener) {
    this.#listeners.push(listener);
  }

  close(error) {
    this.#closed = error;
    for (const { fail } of this.#pending.values()) fail(error);
    this.#pending.clear();
  }
}

let browser = null; // the chromium child, spawned as the leader of its own process group
let profileDir = null;

/** Kills the browser's whole process group (renderers, zygotes, GPU process) and its profile. */
function killBrowserNow() {
  if (browser?.pid) {
    try {
      process.kill(-browser.pid, "SIGKILL");
    } catch {} // already gone
    browser = null; // once only: never signal a process group id that may since have been reused
  }
  if (profileDir) {
    try {
      rmSync(profileDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {}
    profileDir = null;
  }
}

process.on("exit", killBrowserNow);
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]]) {
  process.on(signal, () => {
    console.error(`browser smoke: interrupted by ${signal}`);
    process.exit(code);
  });
}

async function main() {
  const { origin, requests, close: closeServer } = await startServer();
  const pageUrl = `${origin}${PAGE_PATH}`;
  const pageLog = []; // console messages, uncaught exceptions and browser log entries of the page
  const diagnostics = { requests, pageLog, stderr: () => [] };
  let exited = null; // resolves when the browser process ends
  let timer;

  try {
    profileDir = mkdtempSync(join(tmpdir(), "ferrax-browser-smoke-"));
    browser = spawn(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--disable-dev-shm-usage",
        "--no-default-browser-check",
        "--mute-audio",
        `--user-data-dir=${profileDir}`,
        "--remote-debugging-pipe",
        "about:blank",
      ],
      { stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"], detached: true },
    );
    tail(browser.stdout); // drained so the browser never blocks on it
    diagnostics.stderr = tail(browser.stderr);
    const cdp = new Cdp(browser.stdio[3], browser.stdio[4]);

    const failed = new Promise((_, fail) => {
      exited = new Promise((ok) => browser.once("exit", ok));
      browser.once("error", (e) =>
        fail(new Error(e.code === "ENOENT" ? `${CHROMIUM} not found (apt-get install chromium, or set CHROMIUM)` : e.message)),
      );
      browser.once("exit", (code, signal) => {
        const error = new Error(`the browser exited early (${signal ?? `code ${code}`})`);
        cdp.close(error);
        fail(error);
      });
      timer = setTimeout(() => fail(new Error(`timed out after ${TIMEOUT_MS / 1000}s`)), TIMEOUT_MS);
    });
    failed.catch(() => {});

    const run = async () => {
      const { product } = await cdp.send("Browser.getVersion");
      console.log(`browser smoke: ${product} (headless), serving the repo at ${origin}`);

      const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
      const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
      cdp.on((m) => {
        if (m.sessionId !== sessionId) return;
        const p = m.params;
        if (m.method === "Runtime.consoleAPICalled") {
          pageLog.push(`console.${p.type}: ${p.args.map((a) => a.value ?? a.description ?? a.type).join(" ")}`);
        } else if (m.method === "Runtime.exceptionThrown") {
          const d = p.exceptionDetails;
          pageLog.push(`uncaught: ${d.exception?.description ?? d.text}`);
        } else if (m.method === "Log.entryAdded") {
          pageLog.push(`${p.entry.level}: ${p.entry.text}${p.entry.url ? ` (${p.entry.url})` : ""}`);
        }
      });
      await cdp.send("Runtime.enable", {}, sessionId);
      await cdp.send("Log.enable", {}, sessionId);
      await cdp.send("Page.enable", {}, sessionId);
      const nav = await cdp.send("Page.navigate", { url: pageUrl }, sessionId);
      if (nav.errorText) throw new Error(`could not load ${pageUrl}: ${nav.errorText}`);

      // smoke.js sets data-status once its async work (fetching and instantiating the kernels) is done.
      const probe = `(() => {
        const el = document.getElementById("result");
        return el && el.dataset.status ? { status: el.dataset.status, text: el.textContent } : null;
      })()`;
      for (;;) {
        try {
          const { result } = await cdp.send("Runtime.evaluate", { expression: probe, returnByValue: true }, sessionId);
          if (result.value) return { ...result.value, cdp };
        } catch (e) {
          if (cdp.closed) throw e;
          // the document may be mid-navigation; ask again
        }
        await sleep(100);
      }
    };

    const outcome = await Promise.race([run(), failed]);
    const problems = [];
    if (outcome.status !== "pass") problems.push(`the page reports: ${outcome.text}`);
    const kernels = requests.find((r) => r.path === KERNELS_PATH);
    if (!kernels) problems.push(`the page never requested ${KERNELS_PATH}`);
    else if (kernels.status !== 200 || kernels.type !== "application/wasm") {
      problems.push(`${KERNELS_PATH} was served as ${kernels.status} ${kernels.type}`);
    }

    // Close politely, then make sure: nothing of the browser may outlive this script.
    await atMost(2000, outcome.cdp.send("Browser.close").catch(() => {}));
    await atMost(3000, exited);

    if (problems.length) {
      report(`FAIL (${seconds()}s)`, problems, diagnostics);
      return 1;
    }
    const facts = outcome.text.split("\n").slice(1).join("; ");
    console.log(`browser smoke: ok (${facts}; ${requests.length} requests; ${seconds()}s)`);
    return 0;
  } catch (e) {
    report(`FAIL (${seconds()}s)`, [e.message], diagnostics);
    return 1;
  } finally {
    clearTimeout(timer);
    killBrowserNow();
    await closeServer();
  }
}

function report(title, problems, { requests, pageLog, stderr }) {
  const lines = [`browser smoke: ${title}`, ...problems.map((p) => `  ${p.replaceAll("\n", "\n    ")}`)];
  if (pageLog.length) lines.push("  page log:", ...pageLog.map((l) => `    ${l}`));
  const bad = requests.filter((r) => r.status >= 400);
  lines.push(`  requests: ${requests.length}, ${bad.length} failed${bad.length ? ":" : ""}`);
  lines.push(...bad.map((r) => `    ${r.status} ${r.method} ${r.path}`));
  // Headless Chromium in a container always complains about D-Bus; leave that out.
  const err = stderr().filter((l) => l.trim() && !/dbus|unexpected operator/i.test(l));
  if (err.length) lines.push("  chromium stderr (tail):", ...err.slice(-20).map((l) => `    ${l}`));
  console.error(lines.join("\n"));
}

process.exitCode = await main();
