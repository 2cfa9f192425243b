// A scanned page's picture, greyscale, as plain pixels: what OCR needs done to it before
// Tesseract reads it. Pure functions over a byte array, no image library.
//  - readPgm: pdftoppm's -gray output (binary PGM, P5).
//  - skewAngle: the rotation of a scan (up to MAX_SKEW_DEG), from the row profile of dark
//    pixels: rows of text and ruling lines give the sharpest profile when sheared level.
//  - rotate: the page turned back by that angle (bilinear, white outside).
//  - rules: long straight runs of dark pixels, horizontal and vertical (a table's ruling),
//    as segments in pixels; eraseRules paints them white so Tesseract sees only the text.

export interface Gray {
  width: number;
  height: number;
  /** One byte per pixel, 0 black … 255 white, row by row from the top. */
  px: Uint8Array;
}

/** Binary PGM (P5, maxval ≤ 255), as pdftoppm -gray writes it. */
export function readPgm(buf: Uint8Array): Gray {
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < buf.length && /\s/.test(String.fromCharCode(buf[pos]))) pos++;
      if (buf[pos] === 0x23) while (pos < buf.length && buf[pos] !== 0x0a) pos++;
      else break;
    }
    const start = pos;
    while (pos < buf.length && !/\s/.test(String.fromCharCode(buf[pos]))) pos++;
    return String.fromCharCode(...buf.subarray(start, pos));
  };
  if (token() !== "P5") throw new Error("not a binary PGM image");
  const width = Number(token()), height = Number(token()), max = Number(token());
  pos++;
  if (!(width > 0 && height > 0 && max > 0 && max < 256) || buf.length - pos < width * height) throw new Error("a truncated PGM image");
  return { width, height, px: buf.slice(pos, pos + width * height) };
}

export function writePgm(g: Gray): Uint8Array {
  const head = new TextEncoder().encode(`P5\n${g.width} ${g.height}\n255\n`);
  const out = new Uint8Array(head.length + g.px.length);
  out.set(head);
  out.set(g.px, head.length);
  return out;
}

/**
 * The picture turned clockwise by `turns` quarter turns, pixel for pixel (a page scanned
 * lying on its side, or upside down, set upright).
 */
export function quarterTurn(g: Gray, turns: number): Gray {
  const q = ((turns % 4) + 4) % 4;
  if (q === 0) return g;
  const { width: w, height: h } = g;
  const width = q === 2 ? w : h, height = q === 2 ? h : w;
  const px = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      // Where the pixel (x, y) goes: clockwise 90° maps it to (h-1-y, x); 180° to (w-1-x, h-1-y); 270° to (y, w-1-x).
      const [nx, ny] = q === 1 ? [h - 1 - y, x] : q === 2 ? [w - 1 - x, h - 1 - y] : [y, w - 1 - x];
      px[ny * width + nx] = g.px[y * w + x];
    }
  return { width, height, px };
}

/** Dark enough to be ink: below this grey level (noise and JPEG halo stay above it). */
export const INK = 140;

/**
 * The page's skew in degrees (positive: the content is turned counter-clockwise, its right
 * end higher), searched from -maxDeg to +maxDeg in steps of 0.05°, on every other pixel.
 */
/** How far a page is looked at turned, each way (degrees): a page found at the edge may be turned further. */
export const MAX_SKEW_DEG = 8;

export function skewAngle(g: Gray, maxDeg = MAX_SKEW_DEG): number {
  const xs: number[] = [], ys: number[] = [];
  for (let y = 0; y < g.height; y += 2)
    for (let x = 0; x < g.width; x += 2) if (g.px[y * g.width + x] < INK) (xs.push(x), ys.push(y));
  if (xs.length < 100) return 0;
  const score = (deg: number) => {
    const t = Math.tan((deg * Math.PI) / 180);
    const off = Math.ceil(g.width * Math.abs(t)) + 2;
    // Bins two pixels high, as the sample takes every other row (a bin per row would
    // favour 0°, where only even rows are filled).
    const hist = new Float64Array((g.height + 2 * off) / 2 + 2);
    for (let i = 0; i < xs.length; i++) hist[Math.round((ys[i] + xs[i] * t + off) / 2)]++;
    let s = 0;
    for (const h of hist) s += h * h;
    return s;
  };
  let best = 0, bestScore = -1;
  // Tenths of a degree counted as integers: a sum of 0.1s drifts off 0 over 160 steps.
  const steps = Math.round(maxDeg * 10);
  for (let k = -steps; k <= steps; k++) {
    const d = k / 10;
    const s = score(d);
    if (s > bestScore || (s === bestScore && Math.abs(d) < Math.abs(best))) (bestScore = s), (best = d);
  }
  for (const d of [best - 0.05, best + 0.05]) {
    const s = score(d);
    if (s > bestScore) (bestScore = s), (best = d);
  }
  return Math.round(best * 100) / 100;
}

/** The picture turned by -deg about its centre (undoing skewAngle's deg), same size. */
export function rotate(g: Gray, deg: number): Gray {
  if (deg === 0) return g;
  const { width: w, height: h, px } = g;
  const out = new Uint8Array(w * h).fill(255);
  const a = (deg * Math.PI) / 180, c = Math.cos(a), s = Math.sin(a);
  const cx = w / 2, cy = h / 2;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      // Source point: the output point turned by +deg (image y runs down).
      const sx = cx + dx * c + dy * s;
      const sy = cy - dx * s + dy * c;
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) continue;
      const fx = sx - x0, fy = sy - y0, i = y0 * w + x0;
      const top = px[i] + (px[i + 1] - px[i]) * fx;
      const bot = px[i + w] + (px[i + w + 1] - px[i + w]) * fx;
      out[y * w + x] = top + (bot - top) * fy;
    }
  }
  return { width: w, height: h, px: out };
}

/** A ruling line found in the picture, in pixels: horizontal when y0 === y1. */
export interface PixelRule {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Rules are thin and blurred by scanning and JPEG: a lighter grey than text still counts. */
export const RULE_INK = 215;

/**
 * Straight runs of ink at least minLen pixels long, horizontal and vertical. Two
 * neighbouring pixel lines are looked at together (a rule left a pixel off level by the
 * deskew steps between them), and a run may cross a gap of up to maxGap pixels (a rule faded
 * by the scan: a real break, a merged cell, is a column wide) if 90% of it is ink; runs on neighbouring lines
 * (a rule 2–4 px thick) are one rule at their mean position, spanning their union. A
 * vertical run from minBetween to minLen long is a rule only where it joins two horizontal
 * rules, one at each end; a horizontal run shorter than `alone` only where vertical rules
 * meet its ends (ruledAcross).
 */
export function rules(g: Gray, minLen: number, maxGap: number, minBetween = minLen, alone = minLen): { h: PixelRule[]; v: PixelRule[] } {
  const { width: w, height: h, px } = g;
  /**
   * Runs along lines of pixels. `walls`: for vertical runs, the horizontal rules that cross
   * them. A vertical run is cut where rules cross it: between two crossings a part stands
   * when 90% of it is ink (a wall runs from rule to rule; a run that is not solid as a whole,
   * a one-row table's wall that runs on into the text under the table, is solid there);
   * beyond the first and the last crossing, only its solid continuation of the crossing
   * (gaps of at most 3 px) belongs to it: a wall ends at the table's rule, and a character
   * standing a few pixels past it (其 of （六）其他处理 under the wall of a merged cell) is
   * no rule. What lies past such a gap is a run of its own, if it is one.
   */
  const runs = (horizontal: boolean, minLen: number, walls: { x0: number; y0: number; x1: number }[] = []) => {
    const found: { pos: number; a: number; b: number }[] = [];
    const lines = horizontal ? h : w, along = horizontal ? w : h;
    // Pixel q of line p is px[p * across + q * step]; the neighbouring line is `across` on.
    const step = horizontal ? 1 : w, across = horizontal ? w : 1;
    let base = 0;
    const dark = (q: number) => px[base + q * step] < RULE_INK || px[base + q * step + across] < RULE_INK;
    const solid = (a: number, b: number) => {
      let ink = 0;
      for (let q = a; q <= b; q++) if (dark(q)) ink++;
      return ink >= 0.9 * (b - a + 1);
    };
    const take = (p: number, a: number, b: number) => {
      if (b - a + 1 >= minLen && solid(a, b)) found.push({ pos: p + 0.5, a, b });
    };
    /** From q (a crossing) towards dir, the last ink before a gap of more than 3 px, or the run's end. */
    const reach = (q: number, dir: 1 | -1, end: number) => {
      let lastInk = q, gap = 0;
      for (let k = q + dir; dir > 0 ? k <= end : k >= end; k += dir) {
        if (dark(k)) (lastInk = k), (gap = 0);
        else if (++gap > 3) break;
      }
      return lastInk;
    };
    /** A run from a to b with `ink` dark pixels, on a line the rules in `crossing` (their y, in order) cross. */
    const cut = (p: number, a: number, b: number, ink: number, crossing: number[]) => {
      const cuts = crossing.filter((y) => y >= a - 1 && y <= b + 1);
      if (!cuts.length) {
        // A line of text bridged at its gaps is far from solid; a rule is nearly all ink.
        if (ink >= 0.9 * (b - a + 1)) found.push({ pos: p + 0.5, a, b });
        return;
      }
      const lo = reach(Math.max(a, cuts[0]), -1, a), hi = reach(Math.min(b, cuts[cuts.length - 1]), 1, b);
      if (lo - a >= minLen) take(p, a, lo - 4);
      if (b - hi >= minLen) take(p, hi + 4, b);
      // Between crossings: the parts that are solid, joined where they meet.
      const stops = [lo, ...cuts.filter((c) => c > lo && c < hi), hi];
      let from = -1;
      for (let k = 0; k + 1 < stops.length; k++) {
        const ok = solid(stops[k], stops[k + 1]);
        if (ok && from < 0) from = stops[k];
        if (!ok && from >= 0) (take(p, from, stops[k]), (from = -1));
      }
      if (from >= 0) take(p, from, hi);
    };
    for (let p = 0; p + 1 < lines; p++) {
      base = p * across;
      const crossing = walls.filter((r) => p >= r.x0 - 6 && p <= r.x1 + 6).map((r) => Math.round(r.y0)).sort((x, y) => x - y);
      scanLine(px, base, step, across, along, maxGap, minLen, (a, b, ink) => cut(p, a, b, ink, crossing));
    }
    // Neighbouring lines whose runs overlap are one thick rule.
    const merged: { p0: number; p1: number; a: number; b: number }[] = [];
    for (const r of found) {
      const m = merged.find((x) => r.pos - x.p1 <= 1.01 && r.pos >= x.p0 && r.a < x.b && r.b > x.a);
      if (m) (m.p1 = r.pos), (m.a = Math.min(m.a, r.a)), (m.b = Math.max(m.b, r.b));
      else merged.push({ p0: r.pos, p1: r.pos, a: r.a, b: r.b });
    }
    // A rule is thin: a block many pixels thick is a picture or a stamp, not ruling.
    return merged
      .filter((m) => m.p1 - m.p0 <= 8)
      .map((m) => {
        const pos = (m.p0 + m.p1) / 2;
        return horizontal ? { x0: m.a, y0: pos, x1: m.b, y1: pos, t: m.p1 - m.p0 + 1 } : { x0: pos, y0: m.a, x1: pos, y1: m.b, t: m.p1 - m.p0 + 1 };
      });
  };
  const across = runs(true, minLen);
  const upright = runs(false, Math.min(minLen, minBetween), across);
  // A vertical rule shorter than minLen stands when it runs from one horizontal rule to
  // another (the cell walls of a one-row table); a text stroke touches none.
  const standing = (hs: typeof across) => {
    const touches = (x: number, y: number) => hs.some((r) => Math.abs(r.y0 - y) <= 6 && x >= r.x0 - 6 && x <= r.x1 + 6);
    return upright.filter((r) => r.y1 - r.y0 + 1 >= minLen || (touches(r.x0, r.y0) && touches(r.x0, r.y1)));
  };
  const hs = ruledAcross(across, standing(across), alone, maxGap);
  return { h: hs, v: standing(hs) };
}

/**
 * The runs of ink along one line of pixels (pixel q at px[base + q * step], looked at with
 * its neighbour `across` on), bridging gaps of up to maxGap: each at least minLen long is
 * given to `run` with its count of dark pixels. A function of its own, its state in locals:
 * the hot loop of rules().
 */
function scanLine(px: Uint8Array, base: number, step: number, across: number, along: number, maxGap: number, minLen: number, run: (a: number, b: number, ink: number) => void): void {
  let start = -1, last = -1, ink = 0;
  for (let q = 0, i = base; q <= along; q++, i += step) {
    if (q < along && (px[i] < RULE_INK || px[i + across] < RULE_INK)) {
      if (start < 0) (start = q), (ink = 0);
      last = q;
      ink++;
    } else if (start >= 0 && (q - last > maxGap || q === along)) {
      // A run is given when a gap ends it, and at the line's end: a rule that reaches the
      // picture's edge (a table picture fitted to the page's width) is a rule too.
      if (last - start + 1 >= minLen) run(start, last, ink);
      start = -1;
    }
  }
}

/**
 * The horizontal runs that are rules. The strokes of a line of characters that sit at one
 * height (三安全一, the bars of 查询) make a run as long as a few characters and nearly all
 * ink: erased as a rule, they cut the characters in two (危及"三安全一稳定" read as 危及"二文二稳").
 * A table's rule runs from wall to wall, so a run shorter than `alone` stands only where a
 * vertical rule meets each of its ends, or where it continues, on the same line, a rule that
 * stands (a rule the scan broke into pieces a pixel or two apart).
 */
function ruledAcross<R extends PixelRule>(hs: R[], vs: PixelRule[], alone: number, maxGap: number): R[] {
  const near = maxGap;
  const meets = (x: number, y: number) => vs.some((v) => Math.abs(v.x0 - x) <= near && y >= v.y0 - near && y <= v.y1 + near);
  const kept = new Set(hs.filter((r) => r.x1 - r.x0 + 1 >= alone || (meets(r.x0, r.y0) && meets(r.x1, r.y0))));
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of hs)
      if (!kept.has(r) && [...kept].some((k) => Math.abs(k.y0 - r.y0) <= 3 && r.x0 <= k.x1 + 3 * near && r.x1 >= k.x0 - 3 * near)) {
        kept.add(r);
        grew = true;
      }
  }
  return hs.filter((r) => kept.has(r));
}

/**
 * A copy with the rules painted white, so OCR reads only text. A rule is followed along
 * its length (a page straightened to the nearest 0.05° leaves a long rule a few pixels off
 * level from end to end): at each step, the run of rule ink across it nearest to where the
 * rule was at the step before is painted, with a pixel on each side. Text close to a rule
 * keeps its strokes (a band of fixed width would cut the feet off a row of characters).
 */
export function eraseRules(g: Gray, rs: { h: PixelRule[]; v: PixelRule[] }): Gray {
  const { width: w, height: h } = g;
  const px = g.px.slice();
  const src = g.px;
  const follow = (horizontal: boolean, r: PixelRule) => {
    const along0 = Math.max(0, Math.floor(horizontal ? r.x0 : r.y0) - 1), along1 = Math.min((horizontal ? w : h) - 1, Math.ceil(horizontal ? r.x1 : r.y1) + 1);
    const across = horizontal ? h : w;
    const at = (q: number, p: number) => (horizontal ? p * w + q : q * w + p);
    let centre = horizontal ? r.y0 : r.x0;
    for (let q = along0; q <= along1; q++) {
      // The dark run across the rule nearest its centre, within 6 px of it.
      let best: [number, number] | null = null, bestDist = Infinity;
      let a = -1;
      const lo = Math.max(0, Math.floor(centre) - 6), hi = Math.min(across - 1, Math.ceil(centre) + 6);
      for (let p = lo; p <= hi + 1; p++) {
        const dark = p <= hi && src[at(q, p)] < RULE_INK;
        if (dark && a < 0) a = p;
        else if (!dark && a >= 0) {
          const d = Math.abs((a + p - 1) / 2 - centre);
          if (p - a <= 10 && d < bestDist) (best = [a, p - 1]), (bestDist = d);
          a = -1;
        }
      }
      if (!best) continue;
      centre = centre * 0.7 + ((best[0] + best[1]) / 2) * 0.3;
      for (let p = Math.max(0, best[0] - 1); p <= Math.min(across - 1, best[1] + 1); p++) px[at(q, p)] = 255;
    }
  };
  for (const r of rs.h) follow(true, r);
  for (const r of rs.v) follow(false, r);
  return { width: w, height: h, px };
}

/** A part of the picture (whole pixels, within it) on white paper `border` pixels wide. */
export function crop(g: Gray, x0: number, y0: number, x1: number, y1: number, border: number): Gray {
  const w = x1 - x0 + 2 * border, h = y1 - y0 + 2 * border;
  const px = new Uint8Array(w * h).fill(255);
  for (let y = y0; y < y1; y++) px.set(g.px.subarray(y * g.width + x0, y * g.width + x1), (y - y0 + border) * w + border);
  return { width: w, height: h, px };
}

/** Share of ink pixels in a box (to tell a blank cell from one with marks OCR could not read). */
export function inkIn(g: Gray, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0, all = 0;
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(g.height, Math.ceil(y1)); y++)
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(g.width, Math.ceil(x1)); x++) {
      all++;
      if (g.px[y * g.width + x] < INK) n++;
    }
  return all ? n / all : 0;
}

/**
 * The rows of a box holding its heaviest band of ink: runs of rows with ink, apart where
 * at least minGap rows are blank (a few ink pixels in a row are grain, not print). A word
 * box Tesseract drew over two lines (its own and part of the next) has its own line as the
 * heaviest band. `share`: the band's part of the box's ink. Null where the box has no ink.
 */
export function heaviestBand(g: Gray, x0: number, y0: number, x1: number, y1: number, minGap: number): { top: number; bottom: number; share: number } | null {
  const top = Math.max(0, Math.floor(y0)), bottom = Math.min(g.height, Math.ceil(y1));
  const left = Math.max(0, Math.floor(x0)), right = Math.min(g.width, Math.ceil(x1));
  const grain = Math.max(1, Math.round((right - left) * 0.005));
  let best: { top: number; bottom: number; ink: number } | null = null;
  let band: { top: number; bottom: number; ink: number } | null = null;
  let blank = 0;
  let total = 0;
  const close = () => {
    if (band && (!best || band.ink > best.ink)) best = band;
    band = null;
  };
  for (let y = top; y < bottom; y++) {
    let n = 0;
    for (let x = left; x < right; x++) if (g.px[y * g.width + x] < INK) n++;
    total += n;
    if (n > grain) {
      if (band) (band.bottom = y + 1), (band.ink += n);
      else band = { top: y, bottom: y + 1, ink: n };
      blank = 0;
    } else if (band && ++blank >= minGap) close();
  }
  close();
  const b = best as { top: number; bottom: number; ink: number } | null;
  return b ? { top: b.top, bottom: b.bottom, share: b.ink / total } : null;
}

/**
 * The ink of a box that belongs to marks of at least minArea pixels (8-connected), as a
 * mask over the box (row by row, 1 = ink of a mark): the specks of a scan (dust, JPEG
 * grain) are left out, so they neither widen a cell's ink box nor count as a line of text.
 */
export function marks(g: Gray, x0: number, y0: number, x1: number, y1: number, minArea: number): Uint8Array {
  const w = x1 - x0, h = y1 - y0;
  // 1: ink not yet visited; 0: paper or visited. keep: 1 where the ink is a mark's.
  const todo = new Uint8Array(w * h), keep = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = (y0 + y) * g.width + x0;
    for (let x = 0; x < w; x++) if (g.px[row + x] < INK) todo[y * w + x] = 1;
  }
  const stack = new Int32Array(w * h), part = new Int32Array(w * h);
  for (let s = 0; s < w * h; s++) {
    if (!todo[s]) continue;
    let top = 0, n = 0;
    stack[top++] = s;
    todo[s] = 0;
    while (top) {
      const i = stack[--top];
      part[n++] = i;
      const x = i % w;
      const left = x > 0, right = x + 1 < w;
      for (let j = i - w; j <= i + w; j += 2 * w) {
        if (j < 0 || j >= w * h) continue;
        if (todo[j]) (todo[j] = 0), (stack[top++] = j);
        if (left && todo[j - 1]) (todo[j - 1] = 0), (stack[top++] = j - 1);
        if (right && todo[j + 1]) (todo[j + 1] = 0), (stack[top++] = j + 1);
      }
      if (left && todo[i - 1]) (todo[i - 1] = 0), (stack[top++] = i - 1);
      if (right && todo[i + 1]) (todo[i + 1] = 0), (stack[top++] = i + 1);
    }
    if (n >= minArea) for (let k = 0; k < n; k++) keep[part[k]] = 1;
  }
  return keep;
}

/**
 * Otsu's threshold of a picture's grey levels: the cut that best splits it in two classes
 * (paper and ink), whatever the scan's contrast.
 */
export function otsu(g: Gray): number {
  const hist = new Float64Array(256);
  for (const v of g.px) hist[v]++;
  const total = g.px.length;
  let sumAll = 0;
  for (let t = 0; t < 256; t++) sumAll += t * hist[t];
  let wb = 0, sb = 0, best = -1, from = 128, to = 128;
  for (let t = 0; t < 256; t++) {
    wb += hist[t];
    if (!wb) continue;
    const wf = total - wb;
    if (!wf) break;
    sb += t * hist[t];
    const between = wb * wf * (sb / wb - (sumAll - sb) / wf) ** 2;
    if (between > best * (1 + 1e-9)) (best = between), (from = to = t);
    else if (between >= best * (1 - 1e-9)) to = t;
  }
  // Levels no pixel has split the classes alike: the cut is the middle of them.
  return Math.round((from + to) / 2);
}

/** Black where darker than or as dark as `cut`, white elsewhere. */
export function binarize(g: Gray, cut: number): Gray {
  const px = new Uint8Array(g.px.length);
  for (let i = 0; i < px.length; i++) px[i] = g.px[i] <= cut ? 0 : 255;
  return { width: g.width, height: g.height, px };
}
