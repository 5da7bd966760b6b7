// A tiny static file server for the browser smoke test: serves the repository root
// (so the page can import /dist/index.js) on 127.0.0.1, read-only, with the MIME types
// browsers insist on for module scripts and WASM. No dependencies beyond Node.
//
//   node test/browser/server.mjs [port]   serves until Ctrl-C (port 0 or none: ephemeral)

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const PAGE_PATH = "/test/browser/index.html";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Starts the server on 127.0.0.1 (port 0 = ephemeral). Resolves to
 * { server, origin, requests, close }, where `requests` logs every
 * { method, path, status, type } served.
 */
export async function startServer({ root = REPO_ROOT, port = 0 } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const entry = { method: req.method, path: req.url, status: 0, type: "" };
    requests.push(entry);
    const send = (status, type, body) => {
      entry.status = status;
      entry.type = type;
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", "Content-Length": body.length });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    const text = (status, msg) => send(status, "text/plain; charset=utf-8", Buffer.from(msg + "\n"));

    if (req.method !== "GET" && req.method !== "HEAD") return text(405, "method not allowed");
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
    } catch {
      return text(400, "bad request");
    }
    if (pathname === "/") {
      entry.status = 302;
      res.writeHead(302, { Location: PAGE_PATH });
      return res.end();
    }
    const file = resolve(root, "." + pathname);
    if (file !== root && !file.startsWith(root + sep)) return text(403, "forbidden");
    try {
      if (!(await stat(file)).isFile()) return text(404, "not found");
      const body = await readFile(file);
      return send(200, MIME[extname(file).toLowerCase()] ?? "application/octet-stream", body);
    } catch {
      return text(404, "not found");
    }
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", ok);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const close = () =>
    new Promise((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    });
  return { server, origin, requests, close };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { origin } = await startServer({ port: Number(process.argv[2] ?? 0) });
  console.log(`serving ${REPO_ROOT} at ${origin}  (smoke page: ${origin}${PAGE_PATH})`);
}
