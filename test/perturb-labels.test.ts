// The promise under changes of what the tables say, not only of how they are written: a
// row left out, two rows in the other order, a label with a character lost, changed or
// added (a typo, an OCR slip, a local wording), a row the template does not have (小计,
// （八）其他情况), a row printed twice with other numbers. Read through the whole pipeline
// from the tab-rows text fixtures (one table row a line, so a row is one line to change).
// A value read is the true one (a row left out: its values null); a null has a diagnostic
// with its key. Seeded: a failure names its seed, fixture and change, and repeats exactly.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseReport } from "../src/pipeline.js";
import { cellsOf } from "../model/cells.js";
import { generator, type Rng } from "./helpers/random.js";

const dir = "test/fixtures/reports";
interface Entry { file: string; layout: string; expected: string }
const fixtures = (JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Entry[]).filter((e) => e.layout === "tab-rows");
const SEEDS = process.env.PERTURB_SEEDS ? process.env.PERTURB_SEEDS.split(",").map(Number) : [1, 2];
const PER_FIXTURE = 40;


const HAN = /[\u4e00-\u9fff]/;
const NUMBER = /^\s*\d[\d.]*\s*$/;
/** Characters a label may be misprinted with: common ones, and the template's own. */
const SOME_HAN = [..."的一是在不了有和人中大为上国以要时来生到作地于出分对成会可主发年动同工能下过子产种面方后多定行法所民经之进部度家力里如水化高理起小物现实加量都两体制机当使点从业本去性应开合还因其些然前外天政日社义事平形相全表间样与关各重新内数正心反明看原又利比或但质气第向道变条只没结解问意建月公无系者最立代想已通并提直题程展果料象员位入常文总次品式设及管特件长求基资边流路级少图统接知较将组见计别手角期根论运指区强放决被做必先回则任取据处南给色门即保治北造百规热领海口东导器压志金增争济思术极交受联认共权收证改清己美再采转更单风切打白教速带安场身车例真务具万每目至达走积示议声报斗完类离名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容须际商非验连断深难近千周委素技备半办青省列习响约支般史感劳便团往历市克何除消构府称太准精值号率族维划选标写存候亲快效院查江型眼按格养易置派层片始却专状育厂识适属圆包火住调满县局照参红细引听该价严公开申请予以部分不予无法提供处理复议诉讼纠正维持"];
const EXTRA_ROWS = ["（八）其他情况", "其他", "合计", "小计", "9.其他", "（三）其他", "五、其他需要报告的事项"];

/** The table rows of a tab-rows text: lines holding a tab, a label and a number. */
const rowLines = (lines: string[]) =>
  lines.flatMap((l, i) => {
    const cells = l.split("\t");
    return cells.some((c) => NUMBER.test(c)) && cells.some((c) => HAN.test(c)) ? [i] : [];
  });

type Kind = "leftOut" | "swapped" | "charLost" | "charChanged" | "charAdded" | "extraRow" | "printedTwice";
const KINDS: Kind[] = ["leftOut", "swapped", "charLost", "charChanged", "charAdded", "extraRow", "printedTwice"];

/** One change to the text: the changed text, what it did, and the lines (1-based, as the fixture prints them) whose values it takes away. */
function change(text: string, kind: Kind, r: Rng): { text: string; what: string; gone: number[] } | null {
  const lines = text.split("\n");
  const rows = rowLines(lines);
  const at = r.pick(rows);
  const cells = lines[at].split("\t");
  const label = cells.findIndex((c) => HAN.test(c));
  const what = `${kind} at line ${at + 1} (${cells[label]})`;
  const some = () => String(1 + Math.floor(r.next() * 900));
  switch (kind) {
    case "leftOut":
      lines.splice(at, 1);
      return { text: lines.join("\n"), what, gone: [at + 1] };
    case "swapped": {
      if (!rows.includes(at + 1)) return null;
      [lines[at], lines[at + 1]] = [lines[at + 1], lines[at]];
      return { text: lines.join("\n"), what, gone: [] };
    }
    case "charLost":
    case "charChanged":
    case "charAdded": {
      const chars = [...cells[label]];
      const han = chars.flatMap((c, i) => (HAN.test(c) ? [i] : []));
      const i = r.pick(han);
      if (kind === "charLost") chars.splice(i, 1);
      else if (kind === "charChanged") chars[i] = r.pick(SOME_HAN);
      else chars.splice(i, 0, r.pick(SOME_HAN));
      const now = chars.join("");
      cells[label] = now;
      lines[at] = cells.join("\t");
      return { text: lines.join("\n"), what: `${what} → ${now}`, gone: [] };
    }
    case "extraRow": {
      const name = r.pick(EXTRA_ROWS);
      lines.splice(at + (r.next() < 0.5 ? 0 : 1), 0, cells.map((c, i) => (i === label ? name : NUMBER.test(c) ? some() : "")).join("\t"));
      return { text: lines.join("\n"), what: `${what}: ${name}`, gone: [] };
    }
    case "printedTwice":
      lines.splice(at + 1, 0, cells.map((c) => (NUMBER.test(c) ? some() : c)).join("\t"));
      return { text: lines.join("\n"), what, gone: [] };
  }
}

describe("reports whose tables say things otherwise", () => {
  it("tab-rows text: no wrong value (a row left out reads null), no null without a diagnostic", async () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
    const found: string[] = [];
    const applied = new Map<Kind, number>();
    let nulls = 0;
    for (const seed of SEEDS)
      for (const [n, e] of fixtures.entries()) {
        const text = readFileSync(join(dir, e.file), "utf8");
        const truth = new Map(cellsOf(JSON.parse(readFileSync(join(dir, e.expected), "utf8"))).map(([t, row, c, v]) => [`${t}.${row}.${c}`, v]));
        // The cells each line gives, from the unchanged document's provenance.
        const base = await parseReport({ bytes: Buffer.from(text), name: e.file });
        if (!base.ok) throw new Error(`${e.file}: ${base.message}`);
        const keysOfLine = new Map<number, string[]>();
        for (const [k, p] of Object.entries(base.record.provenance)) {
          const line = p && "place" in p ? p.place?.line : undefined;
          if (line !== undefined && k.includes(".")) keysOfLine.set(line, [...(keysOfLine.get(line) ?? []), k]);
        }
        const r = generator(seed * 1000 + n);
        for (let k = 0; k < PER_FIXTURE; k++) {
          const kind = KINDS[k % KINDS.length];
          const c = change(text, kind, r);
          if (!c) continue;
          applied.set(kind, (applied.get(kind) ?? 0) + 1);
          const tag = `seed ${seed} ${e.file} ${c.what}`;
          const out = await parseReport({ bytes: Buffer.from(c.text), name: e.file });
          if (!out.ok) {
            found.push(`${tag}: not read (${out.code})`);
            continue;
          }
          const gone = new Set(c.gone.flatMap((l) => keysOfLine.get(l) ?? []));
          for (const [t, row, col, v] of cellsOf(out.record)) {
            const key = `${t}.${row}.${col}`;
            if (v === null) {
              nulls++;
              if (!out.record.diagnostics.some((d) => d.key === key)) found.push(`${tag}: ${key} null without a diagnostic`);
            } else if (v !== (gone.has(key) ? null : truth.get(key))) found.push(`${tag}: ${key} read ${v}, ${gone.has(key) ? "its row left out" : `the truth ${truth.get(key)}`}`);
          }
        }
      }
    expect(found).toEqual([]);
    // Not vacuous: every kind of change was made, and the changes cost values (rows left out, labels no longer matched).
    for (const kind of KINDS) expect([kind, (applied.get(kind) ?? 0) > 10]).toEqual([kind, true]);
    expect(nulls).toBeGreaterThan(100);
  }, 120_000);
});
