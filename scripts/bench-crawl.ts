// The crawl benchmark (part of npm run bench): a local portal on 127.0.0.1 with a few
// thousand article pages behind paginated lists, every answer delayed to simulate a
// remote server, crawled with the per-host limits off. Run twice: once into a no-op
// ingestor (the crawler alone: fetching, queues, state, blobs) and once into the real
// store (parsing included), to show the crawler itself is never the bottleneck.
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCrawl } from "../src/crawl/command.js";
import type { IngestInput, IngestResult } from "../src/store.js";

const PER_LIST = 20;

function portal(pages: number, latencyMs: number): Promise<{ server: Server; base: string }> {
  const article = readFileSync("test/fixtures/reports/r2021.portal.html", "utf8");
  const lists = Math.ceil(pages / PER_LIST);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: string) =>
      setTimeout(() => {
        res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
        res.end(body);
      }, latencyMs);
    const list = /^\/list\/(\d+)\.html$/.exec(url.pathname);
    const page = /^\/a\/(\d+)\.html$/.exec(url.pathname);
    if (list) {
      const n = Number(list[1]);
      const links = Array.from({ length: PER_LIST }, (_, k) => n * PER_LIST + k)
        .filter((i) => i < pages)
        .map((i) => `<li><a href="/a/${i}.html">某某区${i}号单位2024年政府信息公开工作年度报告</a></li>`)
        .join("");
      const next = n + 1 < lists ? `<a href="/list/${n + 1}.html">下一页</a>` : "";
      send(200, `<html><body><ul class="list">${links}</ul>${next}</body></html>`);
    } else if (page) send(200, article.replace("</body>", `<p>第${page[1]}号</p></body>`));
    else send(404, "not found");
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const a = server.address();
    resolve({ server, base: `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}` });
  }));
}

export async function benchCrawl(pages: number, latencyMs = 20): Promise<void> {
  for (const mode of ["no-op ingest", "real store"] as const) {
    const { server, base } = await portal(pages, latencyMs);
    const dir = mkdtempSync(join(tmpdir(), "xxgk-crawl-bench-"));
    const noop = { ingestOne: async (_: IngestInput): Promise<IngestResult> => ({ status: "ingested", sha256: "0".repeat(64), attachments: [] }) };
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const summary = await runCrawl({
      db: join(dir, "crawl.sqlite"),
      ingestor: mode === "no-op ingest" ? noop : undefined,
      config: {
        userAgent: "xxgk-bench (+mailto:bench@example.org)",
        concurrency: 16,
        perHostConcurrency: 16,
        perHostIntervalMs: 0,
        portals: [{ name: "bench", startUrls: [`${base}/list/0.html`], reportLink: { text: "年度报告" }, nextPage: { text: "下一页" },
          maxPages: Math.ceil(pages / PER_LIST) + 1, perHostIntervalMs: 0 }],
      },
    });
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    server.close();
    rmSync(dir, { recursive: true, force: true });
    const requests = summary.requests;
    console.log(
      `crawl  ${mode}: ${requests} requests (${pages} articles, ${latencyMs} ms simulated latency, per-host limits off) in ${secs.toFixed(1)} s: ${(requests / secs).toFixed(0)} pages/s; CPU busy ${((100 * cpuSecs) / secs).toFixed(0)}% (the rest is waiting on the portal)`,
    );
  }
}
