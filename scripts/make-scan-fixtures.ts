// Scanned-report fixtures: PDF fixtures of both templates (ruled, and borderless) printed as pictures only,
// as a scanner would give them, into test/fixtures/scans/ with a manifest naming each
// one's source and expected record (the source's: the values are the same).
//
// Per page: poppler's pdftoppm renders it greyscale at 150 or 200 dpi; this script turns
// it by up to 1° (one by 2.4°; bilinear, scan-image.ts's rotate) and adds noise (a seeded grain and a
// few specks, so every run makes the same files); Pillow (Python 3, which img2pdf itself
// runs on, Debian python3-pil) writes it as a JPEG; img2pdf wraps the pages, unchanged,
// in a PDF with no text layer.
//
// Run: npx tsx scripts/make-scan-fixtures.ts [name.pdf …]   (needs poppler-utils, img2pdf)
// With names, only those scans are made (their manifest entries replaced, the others kept).
// Remade, the scans' page images come out byte-identical; only img2pdf's dates differ.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { quarterTurn, readPgm, rotate, writePgm, type Gray } from "../extractors/pdf/scan-image.js";

const OUT = "test/fixtures/scans";
const SRC = "test/fixtures/reports";

/**
 * Source fixture, resolution, rotation (degrees, counter-clockwise), JPEG quality, seed; the
 * file's name where the default (src.scanDPI.pdf) is taken; `turns`: each page's quarter
 * turns clockwise as fed to the scanner (3: on its side, as a landscape table page is; 2:
 * upside down).
 */
const SCANS: { src: string; dpi: number; deg: number; quality: number; seed: number; name?: string; turns?: number[] }[] = [
  { src: "r2021.chromium.pdf", dpi: 200, deg: 0.6, quality: 20, seed: 1 },
  { src: "r2019.chromium.pdf", dpi: 150, deg: -0.8, quality: 30, seed: 2 },
  { src: "rblanks.lo.pdf", dpi: 200, deg: -0.4, quality: 20, seed: 3 },
  { src: "rmixed.chromium.pdf", dpi: 150, deg: 1, quality: 30, seed: 4 },
  // Borderless tables (no rules at all): numbers placed by the layout's stream logic.
  { src: "r2021.noborder.pdf", dpi: 200, deg: -0.5, quality: 20, seed: 5 },
  { src: "r2019.noborder.pdf", dpi: 150, deg: 0.7, quality: 30, seed: 6 },
  // Turned further than the skew search once reached (1.5°): a borderless table's rows,
  // a point and a half apart over the page's width, read only once the page is straightened.
  { src: "r2021.noborder.pdf", dpi: 200, deg: -2.4, quality: 40, seed: 7, name: "r2021.noborder.turned200.pdf" },
  // Pages fed on their side and upside down: read turned upright (ocr.ts uprightPage).
  { src: "r2021.chromium.pdf", dpi: 200, deg: -0.3, quality: 30, seed: 8, name: "r2021.chromium.sideways200.pdf", turns: [0, 3, 2] },
];

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Paper grain (±30 levels on 0.5% of the pixels) and specks of 1–2 px. */
function noise(g: Gray, seed: number): Gray {
  const rnd = prng(seed);
  const px = g.px.slice();
  for (let i = 0; i < px.length; i++) {
    if (rnd() < 0.005) px[i] = Math.max(0, Math.min(255, px[i] + Math.round((rnd() - 0.5) * 60)));
  }
  const specks = Math.round((g.width * g.height) / 40_000);
  for (let k = 0; k < specks; k++) {
    const x = Math.floor(rnd() * (g.width - 2)), y = Math.floor(rnd() * (g.height - 2));
    const size = rnd() < 0.5 ? 1 : 2;
    for (let dy = 0; dy < size; dy++) for (let dx = 0; dx < size; dx++) px[(y + dy) * g.width + x + dx] = 60 + Math.floor(rnd() * 60);
  }
  return { ...g, px };
}

type Entry = { file: string; source: string; template: string; expected: string; dpi: number; rotation: number; tables: "ruled" | "borderless"; turns?: number[]; textPages?: number[] };
const only = new Set(process.argv.slice(2));
const made = (name: string) => only.size === 0 || only.has(name);
const manifest: Entry[] = only.size ? (JSON.parse(readFileSync(join(OUT, "manifest.json"), "utf8")) as Entry[]) : [];
/** Adds an entry, or replaces the one of the same file. */
const enter = (e: Entry) => {
  const at = manifest.findIndex((m) => m.file === e.file);
  if (at < 0) manifest.push(e);
  else manifest[at] = e;
};
const sources = JSON.parse(readFileSync(join(SRC, "manifest.json"), "utf8")) as { file: string; template: string; expected: string }[];
mkdirSync(OUT, { recursive: true });
for (const s of SCANS) {
  const name = s.name ?? s.src.replace(/\.pdf$/, `.scan${s.dpi}.pdf`);
  if (!made(name)) continue;
  const entry = sources.find((e) => e.file === s.src);
  if (!entry) throw new Error(`${s.src} is not in ${SRC}/manifest.json`);
  const work = mkdtempSync(join(tmpdir(), "xxgk-scan-"));
  try {
    execFileSync("pdftoppm", ["-gray", "-r", String(s.dpi), join(SRC, s.src), join(work, "p")]);
    const pages = readdirSync(work).filter((f) => f.endsWith(".pgm")).sort();
    const jpegs: string[] = [];
    for (const [k, f] of pages.entries()) {
      const g = quarterTurn(noise(rotate(readPgm(readFileSync(join(work, f))), -s.deg), s.seed * 100 + k), s.turns?.[k] ?? 0);
      const pgm = join(work, `s${k}.pgm`), jpg = join(work, `s${k}.jpg`);
      writeFileSync(pgm, writePgm(g));
      execFileSync("/usr/bin/python3", ["-c", "import sys; from PIL import Image; Image.open(sys.argv[1]).save(sys.argv[2], quality=int(sys.argv[3]), dpi=(int(sys.argv[4]),)*2)", pgm, jpg, String(s.quality), String(s.dpi)]);
      jpegs.push(jpg);
    }
    execFileSync("img2pdf", ["--output", join(OUT, name), ...jpegs]);
    console.log(`${name}: ${pages.length} pages, ${Math.round(statSync(join(OUT, name)).size / 1024)} KB`);
    enter({ file: name, source: s.src, template: entry.template, expected: `../reports/${basename(entry.expected)}`, dpi: s.dpi, rotation: s.deg, tables: s.src.includes("noborder") ? "borderless" : "ruled", ...(s.turns ? { turns: s.turns } : {}) });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
// A mixed PDF: the first page of a ruled source as it is (its text layer), the rest of the
// report as scanned above (pictures only), joined by poppler's pdfseparate and pdfunite. Its
// first table runs from the text page onto the first scanned page.
for (const m of [{ src: "r2021.chromium.pdf", scan: "r2021.chromium.scan200.pdf", textPages: 1 }]) {
  const entry = manifest.find((e) => e.file === m.scan)!;
  if (!made(m.src.replace(/\.pdf$/, `.mixed${entry.dpi}.pdf`))) continue;
  const work = mkdtempSync(join(tmpdir(), "xxgk-scan-"));
  try {
    execFileSync("pdfseparate", [join(SRC, m.src), join(work, "t-%d.pdf")]);
    execFileSync("pdfseparate", [join(OUT, m.scan), join(work, "s-%d.pdf")]);
    const n = readdirSync(work).filter((f) => f.startsWith("s-")).length;
    const parts = [...Array(n).keys()].map((k) => join(work, k < m.textPages ? `t-${k + 1}.pdf` : `s-${k + 1}.pdf`));
    const name = m.src.replace(/\.pdf$/, `.mixed${entry.dpi}.pdf`);
    execFileSync("pdfunite", [...parts, join(OUT, name)]);
    console.log(`${name}: ${m.textPages} text page(s), ${n - m.textPages} scanned`);
    enter({ ...entry, file: name, textPages: [...Array(m.textPages).keys()].map((k) => k + 1) });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
writeFileSync(join(OUT, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
