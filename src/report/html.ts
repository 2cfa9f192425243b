// The quality report page: one self-contained HTML file (inline CSS, inline SVG, no
// script, nothing fetched) showing where the dataset is weak. Every text that comes from
// the data (organ names, messages, paths, URLs) is untrusted and escaped.
import { pathToFileURL } from "node:url";
import type { FailureRow, QualityData, ReportRow, Snapshot } from "./data.js";

export interface RenderOptions {
  /** Rows of the "needs a look" and failed-files tables; the rest is counted, not listed. */
  maxRows?: number;
  /** Entries listed per group in "changes since the last report". */
  maxChanges?: number;
}

/** The snapshot the next page compares itself with. */
export function snapshotOf(data: QualityData): Required<Pick<Snapshot, "generatedAt" | "reports" | "failing">> {
  return {
    generatedAt: data.generatedAt,
    reports: Object.fromEntries(data.reports.map((r) => [r.key, r.digest])),
    failing: data.reports.filter(isFailing).map((r) => r.key),
  };
}

/** A report fails when any check rule failed on it. */
export function isFailing(r: ReportRow): boolean {
  return r.checks.length > 0;
}

/** A report needs a human look when a check failed, extraction warned, or a cell the document shows could not be read. */
export function needsLook(r: ReportRow): boolean {
  return r.checks.length > 0 || r.warnings.length > 0 || r.unreadCells > 0;
}

/** 3: an error check failed, 2: a warning check failed, 1: warnings only, 0: unread cells only. */
export function severityRank(r: ReportRow): number {
  if (r.checks.some((c) => c.severity === "error")) return 3;
  if (r.checks.length > 0) return 2;
  if (r.warnings.length > 0) return 1;
  return 0;
}

/** Most severe first; then more failed checks, more warnings, more unread cells; then id. */
export function compareBySeverity(a: ReportRow, b: ReportRow): number {
  const errs = (r: ReportRow) => r.checks.filter((c) => c.severity === "error").length;
  return (
    severityRank(b) - severityRank(a) ||
    errs(b) - errs(a) ||
    b.checks.length - a.checks.length ||
    b.warnings.length - a.warnings.length ||
    b.unreadCells - a.unreadCells ||
    a.id - b.id
  );
}

/** Share of `n` in `d` for display: "100%" and "0%" only when exact, else one decimal. */
export function formatPercent(n: number, d: number): string {
  if (d === 0) return "—";
  if (n === d) return "100%";
  if (n === 0) return "0%";
  let s = ((n / d) * 100).toFixed(1);
  if (s === "100.0") s = "99.9";
  if (s === "0.0") s = "0.1";
  return `${s}%`;
}

export interface RulePass {
  rule: string;
  failing: number;
  passing: number;
  share: string;
}

/** Per rule (the evaluated ones plus any seen failing), how many reports pass it. */
export function rulePassShares(data: QualityData): RulePass[] {
  const rules = [...data.rules];
  const seen = new Set(rules);
  for (const r of data.reports)
    for (const c of r.checks)
      if (!seen.has(c.rule)) {
        seen.add(c.rule);
        rules.push(c.rule);
      }
  const total = data.reports.length;
  return rules.map((rule) => {
    const failing = data.reports.filter((r) => r.checks.some((c) => c.rule === rule)).length;
    return { rule, failing, passing: total - failing, share: formatPercent(total - failing, total) };
  });
}

export interface Changes {
  previousAt: string;
  added: ReportRow[];
  /** Reports of the last page no longer in the store (their keys, or ids for an older snapshot). */
  removed: string[];
  newlyFailing: ReportRow[];
  nowPassing: ReportRow[];
  /** Reports of the last page whose values differ now (re-read by a newer build, corrected, a better copy); null for an older snapshot, which kept no values. */
  changed: ReportRow[] | null;
}

/**
 * What changed since the snapshot: new reports, gone ones, reports whose pass/fail flipped,
 * and reports whose values changed. Reports are compared by their key (body and year, or
 * their document's bytes), so re-parsing the store shows no report as new; a snapshot of an
 * older xxgk, which kept store ids, is compared by id.
 */
export function changesSince(data: QualityData): Changes | null {
  const prev = data.previous;
  if (!prev) return null;
  const byKey = prev.reports !== undefined;
  const keyOf = (r: ReportRow) => (byKey ? r.key : String(r.id));
  const before = new Map<string, string | null>(byKey ? Object.entries(prev.reports!) : (prev.reportIds ?? []).map((id) => [String(id), null]));
  const failedBefore = new Set(byKey ? (prev.failing ?? []) : (prev.failingReportIds ?? []).map(String));
  const now = new Set(data.reports.map(keyOf));
  const seen = (r: ReportRow) => before.has(keyOf(r));
  return {
    previousAt: prev.generatedAt,
    added: data.reports.filter((r) => !seen(r)),
    removed: [...before.keys()].filter((k) => !now.has(k)),
    newlyFailing: data.reports.filter((r) => seen(r) && !failedBefore.has(keyOf(r)) && isFailing(r)),
    nowPassing: data.reports.filter((r) => seen(r) && failedBefore.has(keyOf(r)) && !isFailing(r)),
    changed: byKey ? data.reports.filter((r) => seen(r) && before.get(r.key) !== r.digest) : null,
  };
}

// ---- rendering --------------------------------------------------------------

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Escapes text for HTML content and quoted attributes (also inside inline SVG). */
export function esc(s: unknown): string {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ESC[c]);
}

const UNKNOWN = "(unknown)";
const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

/** Cuts a label to `max` characters (code points), with an ellipsis. */
function cut(s: string, max: number): string {
  const cps = [...s];
  return cps.length <= max ? s : `${cps.slice(0, max - 1).join("")}…`;
}

/** Roughly how wide a text is, in ems: wide (CJK) characters 1, others about 0.6. */
function ems(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 1 : 0.6;
  return w;
}

/** Cuts a label so it fits `px` pixels at `fontPx`, with an ellipsis. */
function fit(s: string, px: number, fontPx = 12): string {
  const max = px / fontPx;
  if (ems(s) <= max) return s;
  let out = "";
  for (const ch of s) {
    if (ems(out + ch) + 1 > max) break;
    out += ch;
  }
  return `${out}…`;
}

/** A link target for a report's source, or null when it cannot be linked safely. */
export function sourceHref(path: string | null, url: string | null): string | null {
  if (url && /^https?:\/\//i.test(url.trim())) return url.trim();
  if (path) {
    if (/^file:\/\//i.test(path)) return path;
    try {
      return pathToFileURL(path).href;
    } catch {
      return null;
    }
  }
  return null;
}

/** host/…/last-segment, so a long URL does not wrap into a column of fragments. */
function shortUrl(url: string): string {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#]*)(.*)$/i.exec(url.trim());
  if (!m) return cut(url, 40);
  const host = m[1].replace(/^www\./i, "");
  const segs = m[2].split(/[?#]/)[0].split("/").filter(Boolean);
  const last = segs.pop();
  const text = !last ? host || url : segs.length ? `${host}/…/${last}` : `${host}/${last}`;
  return cut(text, 40);
}

function sourceLinks(path: string | null, url: string | null, zip?: { archive: string; member: string } | null): string {
  const parts: string[] = [];
  if (zip) {
    // A member of a zip archive: the archive (linked: a browser cannot open a member) and the member's name.
    const href = sourceHref(zip.archive, null);
    const base = zip.archive.split(/[\\/]/).filter(Boolean).pop() ?? zip.archive;
    const title = `${zip.archive} › ${zip.member}`;
    const archive = href ? `<a class="src" href="${esc(href)}" title="${esc(title)}">${esc(cut(base, 32))}</a>` : `<span class="src" title="${esc(title)}">${esc(cut(base, 32))}</span>`;
    parts.push(`${archive} › <span class="member" title="${esc(title)}">${esc(cut(zip.member, 48))}</span>`);
    if (url) parts.push(sourceLinks(null, url));
    return parts.join("<br>");
  }
  if (url) {
    const href = sourceHref(null, url);
    const text = shortUrl(url);
    parts.push(href ? `<a class="src" href="${esc(href)}" title="${esc(url)}">${esc(text)}</a>` : `<span class="src" title="${esc(url)}">${esc(text)}</span>`);
  }
  if (path) {
    const href = sourceHref(path, null);
    const base = path.split(/[\\/]/).filter(Boolean).pop() ?? path;
    const text = cut(base, 48);
    parts.push(href ? `<a class="src" href="${esc(href)}" title="${esc(path)}">${esc(text)}</a>` : `<span class="src" title="${esc(path)}">${esc(text)}</span>`);
  }
  return parts.length ? parts.join("<br>") : `<span class="muted">—</span>`;
}

interface Item {
  label: string;
  value: number;
}

function countBy<T>(xs: T[], key: (x: T) => string): Item[] {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m].map(([label, value]) => ({ label, value }));
}

function byCountDesc(a: Item, b: Item): number {
  if (a.label === UNKNOWN) return 1;
  if (b.label === UNKNOWN) return -1;
  return b.value - a.value || a.label.localeCompare(b.label, "zh-CN");
}

const W = 560;

function noData(id: string, text = "No data"): string {
  return `<p class="empty" id="${esc(id)}">${esc(text)}</p>`;
}

/** Horizontal bars, one row per item, value printed after the bar. */
function hbars(id: string, title: string, items: Item[], total: number): string {
  if (items.length === 0) return noData(id);
  const labelW = 120, valueW = 78, rowH = 24, barH = 15, top = 4;
  const max = Math.max(...items.map((i) => i.value), 1);
  const span = W - labelW - valueW;
  const h = top * 2 + items.length * rowH;
  const rows = items.map((it, i) => {
    const y = top + i * rowH;
    const bw = it.value > 0 ? Math.max(2, (it.value / max) * span) : 0;
    const cy = y + rowH / 2;
    return (
      `<g class="row"><title>${esc(it.label)}: ${it.value}</title>` +
      `<text class="label" x="${labelW - 8}" y="${cy}" text-anchor="end" dominant-baseline="central">${esc(fit(it.label, labelW - 12))}</text>` +
      `<rect class="bar" data-label="${esc(it.label)}" data-value="${it.value}" x="${labelW}" y="${y + (rowH - barH) / 2}" width="${bw.toFixed(1)}" height="${barH}" rx="2" fill="${PALETTE[0]}"/>` +
      `<text class="value" x="${(labelW + bw + 6).toFixed(1)}" y="${cy}" dominant-baseline="central">${it.value} · ${esc(formatPercent(it.value, total))}</text></g>`
    );
  });
  return `<svg id="${esc(id)}" class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${h}" width="100%" preserveAspectRatio="xMinYMin meet"><title>${esc(title)}</title>${rows.join("")}</svg>`;
}

/** Vertical columns, label under each, value above. */
function columns(id: string, title: string, items: Item[]): string {
  if (items.length === 0) return noData(id);
  const h = 230, top = 22, bottom = 30, left = 8, right = 8;
  const max = Math.max(...items.map((i) => i.value), 1);
  const slot = (W - left - right) / items.length;
  const cw = Math.min(56, slot * 0.7);
  const span = h - top - bottom;
  const cols = items.map((it, i) => {
    const x = left + i * slot + (slot - cw) / 2;
    const ch = it.value > 0 ? Math.max(2, (it.value / max) * span) : 0;
    const y = top + span - ch;
    const cx = x + cw / 2;
    return (
      `<g class="col"><title>${esc(it.label)}: ${it.value}</title>` +
      `<rect class="bar" data-label="${esc(it.label)}" data-value="${it.value}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${cw.toFixed(1)}" height="${ch.toFixed(1)}" rx="2" fill="${PALETTE[0]}"/>` +
      `<text class="value" x="${cx.toFixed(1)}" y="${(y - 6).toFixed(1)}" text-anchor="middle">${it.value}</text>` +
      `<text class="label" x="${cx.toFixed(1)}" y="${h - bottom + 18}" text-anchor="middle">${esc(fit(it.label, slot - 4))}</text></g>`
    );
  });
  const axis = `<line class="axis" x1="${left}" x2="${W - right}" y1="${top + span + 0.5}" y2="${top + span + 0.5}"/>`;
  return `<svg id="${esc(id)}" class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${h}" width="100%" preserveAspectRatio="xMinYMin meet"><title>${esc(title)}</title>${axis}${cols.join("")}</svg>`;
}

/** One bar split into segments, with an HTML legend under it. */
function stacked(id: string, title: string, items: Item[], total: number): string {
  if (items.length === 0 || total === 0) return noData(id);
  const h = 26;
  let x = 0;
  const segs = items.map((it, i) => {
    const w = (it.value / total) * W;
    const s = `<rect class="seg" data-label="${esc(it.label)}" data-value="${it.value}" x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="${h}" fill="${PALETTE[i % PALETTE.length]}"><title>${esc(it.label)}: ${it.value}</title></rect>`;
    x += w;
    return s;
  });
  const legend = items
    .map((it, i) => `<li><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>${esc(it.label)} <b>${it.value}</b> <span class="muted">${esc(formatPercent(it.value, total))}</span></li>`)
    .join("");
  return `<svg id="${esc(id)}" class="chart stacked" role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${h}" width="100%" preserveAspectRatio="none"><title>${esc(title)}</title>${segs.join("")}</svg><ul class="legend">${legend}</ul>`;
}

/** Pass share per rule: one 0–100% bar per rule, the passing part green, the failing part red. */
function ruleBars(id: string, rules: RulePass[], total: number): string {
  if (rules.length === 0) return noData(id, "No rules evaluated");
  if (total === 0) return noData(id, "No reports yet");
  const RW = 1160, labelW = 210, valueW = 170, rowH = 26, barH = 16, top = 4;
  const span = RW - labelW - valueW;
  const h = top * 2 + rowH * rules.length + 16;
  const rows = rules.map((r, i) => {
    const y = top + i * rowH + (rowH - barH) / 2;
    const cy = top + i * rowH + rowH / 2;
    // a failing rule always shows a visible red sliver, however rare the failure
    const failW = r.failing === 0 ? 0 : Math.max(3, (r.failing / total) * span);
    const passW = span - failW;
    return (
      `<g class="row"><title>${esc(r.rule)}: ${r.passing} of ${total} reports pass, ${r.failing} fail</title>` +
      `<text class="label mono" x="${labelW - 10}" y="${cy}" text-anchor="end" dominant-baseline="central">${esc(fit(r.rule, labelW - 14, 11.5))}</text>` +
      `<rect class="bar" data-label="${esc(r.rule)}" data-value="${esc(r.share)}" x="${labelW}" y="${y}" width="${passW.toFixed(1)}" height="${barH}" fill="#59a14f"/>` +
      (failW ? `<rect class="fail" data-label="${esc(r.rule)}" data-value="${r.failing}" x="${(labelW + passW).toFixed(1)}" y="${y}" width="${failW.toFixed(1)}" height="${barH}" fill="#e15759"/>` : "") +
      `<text class="value" x="${labelW + span + 8}" y="${cy}" dominant-baseline="central"><tspan class="share${r.failing ? "" : " full"}">${esc(r.share)}</tspan>${r.failing ? ` · ${r.failing} failing` : " · none failing"}</text></g>`
    );
  });
  const ticks = [0, 25, 50, 75, 100]
    .map((p) => {
      const x = labelW + (p / 100) * span;
      return `<line class="grid" x1="${x}" x2="${x}" y1="${top}" y2="${top + rowH * rules.length}"/><text class="tick" x="${x}" y="${h - 3}" text-anchor="middle">${p}%</text>`;
    })
    .join("");
  const title = "Share of reports passing each check rule";
  return `<svg id="${esc(id)}" class="chart wide" role="img" aria-label="${title}" viewBox="0 0 ${RW} ${h}" width="100%" preserveAspectRatio="xMinYMin meet"><title>${title}</title>${ticks}${rows.join("")}</svg>`;
}

function when(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]}${m[3] === "Z" ? " UTC" : m[3] ? ` ${m[3]}` : ""}`;
}

function region(r: ReportRow): string {
  const parts = [r.province, r.city, r.county].filter((x): x is string => !!x);
  // a county-level city repeats itself (e.g. 北京市 北京市 东城区): show each name once
  const names = parts.filter((p, i) => parts.indexOf(p) === i).join(" ");
  if (!names && !r.regionCode) return `<span class="muted">—</span>`;
  return `${esc(names)}${r.regionCode ? ` <span class="code">${esc(r.regionCode)}</span>` : ""}`;
}

function organ(r: ReportRow): string {
  return r.organ ? esc(r.organ) : `<span class="muted">(organ unknown)</span>`;
}

function list(items: string[], open: number, noun: string): string {
  if (items.length === 0) return "";
  const li = (s: string) => `<li>${s}</li>`;
  const head = items.slice(0, open).map(li).join("");
  const rest = items.slice(open);
  return `<ul class="plain">${head}</ul>${rest.length ? `<details><summary>${rest.length} more ${noun}</summary><ul class="plain">${rest.map(li).join("")}</ul></details>` : ""}`;
}

function whatFailed(r: ReportRow): string {
  const checks = r.checks.map(
    (c) => `<span class="sev ${c.severity === "error" ? "err" : "warn"}">${c.severity}</span> <code>${esc(c.rule)}</code> ${esc(c.message)}${c.where ? ` <span class="where">@ ${esc(c.where)}</span>` : ""}`,
  );
  const warnings = r.warnings.map((w) => `<span class="sev note">note</span> ${esc(w)}`);
  const out = list(checks, 4, "failed checks") + list(warnings, checks.length ? 1 : 3, "warnings");
  return out || `<span class="muted">only unread cells</span>`;
}

function lookTable(rows: ReportRow[], maxRows: number): string {
  if (rows.length === 0) return `<p class="ok">Nothing needs a look: every report passes every check, with no warnings and no unread cells.</p>`;
  const shown = rows.slice(0, maxRows);
  const body = shown
    .map((r) => {
      const rank = severityRank(r);
      const badge = ["nulls", "warnings", "warning", "error"][rank];
      return (
        `<tr class="rank${rank}" data-id="${r.id}">` +
        `<td class="num">${r.id}</td>` +
        `<td><span class="pill p${rank}">${badge}</span></td>` +
        `<td class="organ">${organ(r)}</td>` +
        `<td class="num">${r.year ?? "—"}</td>` +
        `<td class="region">${region(r)}</td>` +
        `<td class="failed">${whatFailed(r)}</td>` +
        `<td class="num">${r.warnings.length}</td>` +
        `<td class="num">${r.unreadCells}</td>` +
        `<td class="source">${sourceLinks(r.sourcePath, r.sourceUrl, r.zipMember)}</td></tr>`
      );
    })
    .join("");
  const more = rows.length > shown.length ? `<p class="muted">…and ${rows.length - shown.length} more not listed here (the store holds them all).</p>` : "";
  return (
    `<table id="needs-look"><thead><tr><th>id</th><th>severity</th><th>organ</th><th>year</th><th>region</th><th>what failed</th><th>warn.</th><th>unread cells</th><th>source</th></tr></thead><tbody>${body}</tbody></table>${more}`
  );
}

function failureTable(failures: FailureRow[], maxRows: number): string {
  if (failures.length === 0) return `<p class="ok">No file failed to ingest.</p>`;
  const shown = failures.slice(0, maxRows);
  const body = shown
    .map(
      (f) =>
        `<tr><td class="source">${sourceLinks(f.path, f.url, f.zipMember)}</td><td><code>${esc(f.code)}</code></td><td>${esc(f.message)}</td><td class="nowrap">${esc(when(f.at))}</td></tr>`,
    )
    .join("");
  const more = failures.length > shown.length ? `<p class="muted">…and ${failures.length - shown.length} more not listed here.</p>` : "";
  return `<table id="failures"><thead><tr><th>file</th><th>code</th><th>reason</th><th>when</th></tr></thead><tbody>${body}</tbody></table>${more}`;
}

/** Portal pages whose report is in the files they link: not failures, but a page whose files were never read shows here. */
function containerSection(pages: FailureRow[], maxRows: number): string {
  if (pages.length === 0) return "";
  const shown = pages.slice(0, maxRows);
  const body = shown.map((f) => `<tr><td class="source">${sourceLinks(f.path, f.url, f.zipMember)}</td><td>${esc(f.message)}</td></tr>`).join("");
  const more = pages.length > shown.length ? `<p class="muted">…and ${pages.length - shown.length} more not listed here.</p>` : "";
  return `<section class="panel" id="containers"><h2>Pages whose report is in their attachments <span class="muted">(${pages.length})</span></h2>
<p class="muted">Not failures: each page links the files that hold its report. Ingest those files (the crawler follows the links).</p>
<table id="container-pages"><thead><tr><th>page</th><th>attachments</th></tr></thead><tbody>${body}</tbody></table>${more}</section>`;
}

function changeList(title: string, cls: string, rows: ReportRow[], max: number): string {
  const li = (r: ReportRow) => {
    const rules = r.checks.map((c) => c.rule).filter((x, i, a) => a.indexOf(x) === i);
    return `<li data-id="${r.id}"><span class="code">#${r.id}</span> ${organ(r)} ${r.year ?? ""}${rules.length ? ` <span class="muted">(${rules.map(esc).join(", ")})</span>` : ""}</li>`;
  };
  const open = 10;
  const listed = rows.slice(0, max);
  const head = listed.slice(0, open).map(li).join("");
  const rest = listed.slice(open);
  const folded = rest.length ? `<details><summary>${rest.length} more</summary><ul class="plain">${rest.map(li).join("")}</ul></details>` : "";
  const more = rows.length > max ? `<p class="muted">…and ${rows.length - max} more not listed.</p>` : "";
  const body = rows.length ? `<ul class="plain">${head}</ul>${folded}${more}` : `<p class="muted">none</p>`;
  return `<div class="change ${cls}"><h3>${esc(title)} <span class="count">${rows.length}</span></h3>${body}</div>`;
}

function changesSection(data: QualityData, max: number): string {
  const ch = changesSince(data);
  if (!ch) return `<p id="first-report" class="muted">This is the first report: there is no earlier one to compare with.</p>`;
  return (
    `<p class="muted">Compared with the report of ${esc(when(ch.previousAt))}${ch.removed.length ? `; ${ch.removed.length} report(s) of that one are no longer in the store` : ""}.</p>` +
    `<div class="changes">` +
    changeList("New reports", "added", ch.added, max) +
    changeList("Newly failing", "failing", ch.newlyFailing, max) +
    changeList("Now passing", "passing", ch.nowPassing, max) +
    (ch.changed ? changeList("Values changed", "changed", ch.changed, max) : "") +
    `</div>`
  );
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f4f5f7;color:#1f2328;font:14px/1.5 "Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif}
main{max-width:1240px;margin:0 auto;padding:24px 20px 48px}
h1{font-size:22px;margin:0 0 2px}
h2{font-size:16px;margin:0 0 10px}
h3{font-size:14px;margin:0 0 6px}
.sub{color:#57606a;margin:0 0 6px}
nav{font-size:13px;color:#6e7781;margin:0 0 16px}
.muted{color:#6e7781}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-bottom:16px}
.card{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:12px 16px}
.card .n{font-size:28px;font-weight:700;font-variant-numeric:tabular-nums}
.card .t{color:#57606a}
.card.bad .n{color:#cf222e}
.card.warn .n{color:#9a6700}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px;margin-bottom:16px}
section.panel{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:14px 16px;margin-bottom:16px;min-width:0}
.grid2>section.panel{margin-bottom:0}
.chart{display:block;max-width:${W}px;height:auto;overflow:visible}
.chart.wide{max-width:none}
.chart tspan.share{font-weight:700;fill:#a40e26}.chart tspan.share.full{fill:#116329}
.chart.stacked{height:26px;border-radius:4px;overflow:hidden;max-width:none}
.chart text{font-size:12px;fill:#1f2328}
.chart text.value,.chart text.tick{fill:#57606a;font-variant-numeric:tabular-nums}
.chart text.mono{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:11.5px}
.chart .track{fill:#eef1f4}
.chart .grid{stroke:#d8dee4;stroke-dasharray:2 3}
.chart .axis{stroke:#afb8c1}
.legend{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
.empty{color:#6e7781;font-style:italic}
table{border-collapse:collapse;width:100%;font-size:13px}
th{text-align:left;font-weight:600;color:#57606a;border-bottom:2px solid #d8dee4;padding:6px 8px;white-space:nowrap;position:sticky;top:0;background:#fff}
td{border-bottom:1px solid #eaeef2;padding:6px 8px;vertical-align:top;overflow-wrap:anywhere}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.organ{min-width:9em}
td.region{min-width:7em}
td.failed{min-width:22em}
td.source{max-width:15em;font-size:12px}
.nowrap{white-space:nowrap}
tr.rank3 td:first-child{box-shadow:inset 3px 0 #cf222e}
tr.rank2 td:first-child{box-shadow:inset 3px 0 #bf8700}
tr.rank1 td:first-child{box-shadow:inset 3px 0 #8c959f}
.pill{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;white-space:nowrap}
.p3{background:#ffebe9;color:#a40e26}.p2{background:#fff8c5;color:#7d4e00}.p1{background:#eaeef2;color:#424a53}.p0{background:#f6f8fa;color:#6e7781}
.sev{display:inline-block;font-size:11px;border-radius:3px;padding:0 4px;text-transform:uppercase;letter-spacing:.02em}
.sev.err{background:#cf222e;color:#fff}.sev.warn{background:#bf8700;color:#fff}.sev.note{background:#eaeef2;color:#424a53}
code,.code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px}
.code{color:#6e7781}
.where{color:#6e7781;font-size:12px;white-space:nowrap}
ul.plain{list-style:none;margin:0;padding:0}
ul.plain li{margin:0 0 3px}
details summary{cursor:pointer;color:#0969da;font-size:12px}
a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
.ok{color:#1a7f37}
.changes{display:grid;grid-template-columns:repeat(3,1fr);gap:16px}
.change .count{display:inline-block;min-width:1.8em;text-align:center;border-radius:10px;background:#eaeef2;font-size:12px;padding:0 6px}
.change.failing .count{background:#ffebe9;color:#a40e26}
.change.passing .count{background:#dafbe1;color:#116329}
.change.added .count{background:#ddf4ff;color:#0550ae}
footer{color:#6e7781;font-size:12px;margin-top:24px}
@media (max-width:900px){.grid2,.changes{grid-template-columns:1fr}.cards{grid-template-columns:repeat(2,1fr)}}
@media print{body{background:#fff}section.panel,.card{break-inside:avoid}}
`;

/** The whole page. */
export function renderQualityReport(data: QualityData, opts: RenderOptions = {}): string {
  const maxRows = opts.maxRows ?? 1000;
  const maxChanges = opts.maxChanges ?? 50;
  const reports = data.reports;
  const total = reports.length;
  const look = reports.filter(needsLook).sort(compareBySeverity);
  const failing = reports.filter(isFailing).length;
  const withErrors = reports.filter((r) => severityRank(r) === 3).length;
  const withWarnings = reports.filter((r) => r.warnings.length > 0).length;
  const withNulls = reports.filter((r) => r.unreadCells > 0).length;

  const provinces = countBy(reports, (r) => r.province ?? UNKNOWN).sort(byCountDesc);
  const years = countBy(reports, (r) => (r.year === null ? UNKNOWN : String(r.year))).sort((a, b) =>
    a.label === UNKNOWN ? 1 : b.label === UNKNOWN ? -1 : Number(a.label) - Number(b.label),
  );
  const templates = countBy(reports, (r) => r.template).sort((a, b) => b.label.localeCompare(a.label));
  const formatOrder = ["docx", "pdf", "html", "text"];
  const formats = countBy(reports, (r) => r.format).sort((a, b) => formatOrder.indexOf(a.label) - formatOrder.indexOf(b.label));
  const rules = rulePassShares(data);
  const failureCodes = countBy(data.failures, (f) => f.code).sort(byCountDesc);

  const card = (n: number | string, t: string, cls = "", id = "") =>
    `<div class="card ${cls}"${id ? ` id="${id}"` : ""}><div class="n">${esc(n)}</div><div class="t">${t}</div></div>`;

  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="xxgk report">
<title>xxgk data quality — ${esc(when(data.generatedAt))}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>xxgk data quality report</h1>
<p class="sub">政府信息公开工作年度报告 · generated ${esc(when(data.generatedAt))} · ${total} report(s), ${data.rules.length} check rule(s) evaluated</p>

<nav><a href="#rules">check rules</a> · <a href="#changes">changes since the last report</a> · <a href="#look">reports needing a look</a> · <a href="#failed-files">failed files</a></nav>

<div class="cards">
${card(total, "reports in the store", "", "total-reports")}
${card(data.failures.length, "files that failed to ingest", data.failures.length ? "bad" : "", "total-failures")}
${card(look.length, `reports needing a look <span class="muted">(${esc(formatPercent(look.length, total))})</span>`, look.length ? "warn" : "", "total-look")}
${card(failing, `reports failing a check <span class="muted">(${esc(formatPercent(failing, total))})</span>`, failing ? "bad" : "", "total-failing")}
</div>

<div class="grid2">
<section class="panel"><h2>Reports by province</h2>${hbars("chart-province", "Reports by province", provinces, total)}</section>
<section class="panel"><h2>Reports by year covered</h2>${columns("chart-year", "Reports by year covered", years)}</section>
</div>
<div class="grid2">
<section class="panel"><h2>By template</h2>${stacked("chart-template", "Reports by template", templates, total)}</section>
<section class="panel"><h2>By source format</h2>${stacked("chart-format", "Reports by source format", formats, total)}</section>
</div>

<section class="panel" id="rules"><h2>Share of reports passing each check rule</h2>${ruleBars("chart-rules", rules, total)}</section>

<section class="panel" id="changes"><h2>Changes since the last report</h2>
${changesSection(data, maxChanges)}</section>

<section class="panel" id="look"><h2>Reports that need a human look <span class="muted">(${look.length})</span></h2>
<p class="muted">Most severe first: a failed error check, then a failed warning check, then extraction warnings, then unread cells only. ${withErrors} with an error check failing · ${withWarnings} with warnings · ${withNulls} with unread cells.</p>
${lookTable(look, maxRows)}</section>

<section class="panel" id="failed-files"><h2>Files that failed to ingest <span class="muted">(${data.failures.length})</span></h2>
${failureCodes.length > 1 ? hbars("chart-failures", "Failed files by code", failureCodes, data.failures.length) : ""}
${failureTable(data.failures, maxRows)}</section>
${containerSection(data.containers ?? [], maxRows)}

<footer>Generated by xxgk. A failed check is a finding about the source document: the record keeps what the document prints. Unread cells are cells the document shows that could not be read (null, each with its diagnostic); a cell the document prints blank is null too and needs no look.</footer>
</main>
</body>
</html>
`;
}
