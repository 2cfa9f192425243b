// pdfjs-dist → plain page data: positioned text items and the straight, axis-aligned
// strokes and thin filled rectangles that draw table borders. Nothing here knows tables;
// layout.ts does. Runs inside the PDF worker (worker.ts), never on the caller's thread.
//
// pdfjs facts (see /work/shared/notes/toolchain.md): the legacy build for Node, data as a
// Uint8Array, cMapUrl/standardFontDataUrl as plain folder paths with a trailing slash and
// cMapPacked (without CMaps a non-embedded Chinese font yields no text at all),
// isEvalSupported false, no font faces (in the PDF worker, faces handed to a sink: see
// tuneWorkerThread), no system fonts, nothing fetched. Speed notes: loadPdfjs,
// tuneWorkerThread and InThreadPort say what each spares and why the results are the same.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { inflateSync } from "node:zlib";
import { ExtractError } from "../../model/document.js";
import { ideographsForRadicals } from "../../model/text.js";
import { apply, IDENTITY, mul, pageFrame, type M } from "./page-frame.js";

/** One run of text as pdfjs gives it, in PDF user space (points, origin bottom-left). */
export interface TextRun {
  str: string;
  /** Left end of the baseline. */
  x: number;
  /** Baseline. */
  y: number;
  /** Advance width. */
  w: number;
  /** Font size (em height). */
  size: number;
}

/** An axis-aligned ruling segment in the page's frame (user space, or its reading frame): horizontal when y0 === y1, vertical when x0 === x1. */
export interface Segment {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PageData {
  /** 1-based page number. */
  page: number;
  /** The page box in the frame its runs, rules and pictures are given in: user space, or the reading frame where `show` is set. */
  box: { x0: number; y0: number; x1: number; y1: number };
  /**
   * Set where the page is read turned (page-frame.ts): its coordinates are the reading
   * frame's, and this maps them to the page as shown (points from its top-left corner).
   */
  show?: M;
  /** The page's /Rotate, and how far its text is drawn turned beyond it (degrees counterclockwise), where `show` is set. */
  rotate?: number;
  turned?: number;
  runs: TextRun[];
  /** Horizontal rules (y0 === y1, x0 < x1). */
  h: Segment[];
  /** Vertical rules (x0 === x1, y0 < y1). */
  v: Segment[];
  /** Images painted (a page that is all image and no text is a scan). */
  images: number;
  /** The area the largest image is painted over (square points): a table pasted as a picture covers a good part of its page. */
  largestImage: number;
  /** Where that image is painted, in user space (absent where the page paints none). */
  largestImageBox?: { x0: number; y0: number; x1: number; y1: number };
  /** Text shown invisibly (render mode 3 or 7: an OCR layer over a scan) and visibly. */
  hiddenText: number;
  shownText: number;
  /**
   * Filled shapes that are not rules (a glyph drawn as its outline, a logo, a chart): a page
   * with no text and hundreds of these has its text "converted to curves" (build.ts).
   */
  shapes?: number;
  /**
   * The clipping rectangles text was shown in (user space, or the reading frame), where
   * one is set: a browser's print clips the page's content to its printable area and
   * leaves out the glyphs past it (build.ts `cutAtPageEdge`).
   */
  textClips?: { x0: number; y0: number; x1: number; y1: number }[];
}

export interface ReadResult {
  pages: PageData[];
  /** Pages in the file (may be more than read). */
  numPages: number;
  title?: string;
  /** What pdfjs or the reader noticed (warnings only: errors throw). */
  notes: string[];
}

type Pdfjs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let pdfjsPromise: Promise<Pdfjs> | undefined;
const pdfjs = () => (pdfjsPromise ??= loadPdfjs());

/**
 * Loads pdfjs and its worker code (which runs in this thread: pdfjs's "fake worker"),
 * then puts back the built-ins the legacy build's core-js polyfills replace although
 * Node has them: Array.prototype.push (replaced over a V8 corner case with read-only
 * `length` that nothing here meets; the JS version made every push in this thread
 * several times slower, a quarter of a document's time) and JSON.parse/stringify.
 * The worker module is loaded here too, not on the first document: its own copy of
 * core-js would replace push again.
 */
async function loadPdfjs(): Promise<Pdfjs> {
  const native = { push: Array.prototype.push, parse: JSON.parse, stringify: JSON.stringify };
  const lib = await import("pdfjs-dist/legacy/build/pdf.mjs");
  // Sets globalThis.pdfjsWorker, which getDocument's fake worker uses instead of importing it.
  const workerModule = "pdfjs-dist/legacy/build/pdf.worker.mjs"; // (no type declarations)
  await import(workerModule);
  const restore = (obj: object, key: string, fn: unknown) => {
    const d = Object.getOwnPropertyDescriptor(obj, key);
    if (d && d.value !== fn) Object.defineProperty(obj, key, { ...d, value: fn });
  };
  restore(Array.prototype, "push", native.push);
  restore(JSON, "parse", native.parse);
  restore(JSON, "stringify", native.stringify);
  return lib;
}
/** Loads pdfjs ahead of the first document. */
export const warm = async (): Promise<void> => {
  await pdfjs();
};

/** Set by tuneWorkerThread: where pdfjs "installs" font faces (nowhere). */
let fontSink: { fonts: { add(): void; delete(): void } } | undefined;

/** The current document's inflate budget (worker thread): what its streams may still inflate to. */
const inflate: { budget: number; left: number; tripped?: string } = { budget: Infinity, left: Infinity };
/** Starts a document's budget (limits.maxPdfInflateBytes). */
export function startInflateBudget(bytes: number): void {
  inflate.budget = inflate.left = bytes;
  inflate.tripped = undefined;
}
/** Why the document's streams went over budget, if they did. */
export const inflateTripped = (): string | undefined => inflate.tripped;

/**
 * For the PDF worker thread only (it changes globals there): two stand-ins that spare
 * pdfjs work it does for drawing, which nothing here does. Without them (tests calling
 * extractInThread) pdfjs takes its slower built-in routes, with the same results.
 *
 * - Inflate: pdfjs inflates every Flate stream (content streams, fonts, CMaps) through
 *   the web DecompressionStream, which on Node is zlib run on the thread pool behind
 *   web-stream adapters: many awaits and a hop to another thread per stream, a fifth of
 *   a document's time. The stand-in does the same inflate synchronously
 *   (zlib.inflateSync: same library, same results, same errors on a bad or truncated
 *   stream, after which pdfjs falls back to its own decoder as before), bounded by the
 *   document's inflate budget. Formats other than "deflate" go to the built-in class.
 * - Font faces: with disableFontFace pdfjs compiles every glyph shown into a path (to
 *   draw text without the font), a tenth of the time. With font faces on and a
 *   document whose `fonts` set ignores what it is given (and a FontFace that loads at
 *   once), pdfjs hands the font over and is done; text extraction does not use either.
 */
export function tuneWorkerThread(): void {
  const Native = globalThis.DecompressionStream;
  if (Native && !(Native as { syncInflate?: boolean }).syncInflate) {
    function SyncDecompressionStream(format: string) {
      if (format !== "deflate") return new Native(format as "deflate");
      let input: Uint8Array | undefined;
      const done = Promise.resolve();
      return {
        writable: {
          getWriter: () => ({
            ready: done,
            write(chunk: Uint8Array) {
              input = input ? Buffer.concat([input, chunk]) : chunk;
              return done;
            },
            close: () => done,
            releaseLock() {},
          }),
        },
        readable: {
          async *[Symbol.asyncIterator]() {
            // Bounded: a stream that would inflate past what is left of the document's
            // budget (a Flate bomb) yields nothing and marks the document as failed.
            let out: Buffer;
            try {
              out = inflateSync(input ?? new Uint8Array(0), { maxOutputLength: Math.max(1, Math.min(inflate.left, 2 ** 31 - 1)) });
            } catch (e) {
              if ((e as { code?: string }).code !== "ERR_BUFFER_TOO_LARGE") throw e;
              inflate.tripped ??= `a compressed stream inflates past ${inflate.budget} bytes (limits.maxPdfInflateBytes): a decompression bomb?`;
              return;
            }
            inflate.left -= out.byteLength;
            yield new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
          },
        },
      };
    }
    SyncDecompressionStream.syncInflate = true;
    globalThis.DecompressionStream = SyncDecompressionStream as unknown as typeof DecompressionStream;
  }
  const g = globalThis as { FontFace?: unknown };
  if (g.FontFace === undefined) {
    g.FontFace = class NoFontFace {
      readonly loaded: Promise<this>;
      constructor(readonly family: string) {
        this.loaded = Promise.resolve(this);
      }
      load() {
        return this.loaded;
      }
    };
    fontSink = { fonts: { add() {}, delete() {} } };
  }
}

const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve("pdfjs-dist/package.json"));
const CMAPS = join(pdfjsRoot, "cmaps") + "/";
const FONTS = join(pdfjsRoot, "standard_fonts") + "/";

/** Thicker than this, a filled rectangle is a shape (cell shading), not a rule. */
const RULE_MAX = 2.5;

/** What readPage does with an operator: nothing (the port drops it), sees it (it arrives without arguments), or reads its arguments. */
const SKIPPED = 0, SEEN = 1, READ = 2;
/** Operator number → SKIPPED, SEEN or READ: the operators readPage's switch handles, and how. */
const OPERATOR_USE = (OPS: Pdfjs["OPS"]) => {
  const seen = [
    OPS.save, OPS.restore, OPS.paintFormXObjectEnd, OPS.clip, OPS.eoClip,
    OPS.showText, OPS.showSpacedText, OPS.nextLineShowText, OPS.nextLineSetSpacingShowText,
    OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.paintImageXObjectRepeat, OPS.paintImageMaskXObjectRepeat, OPS.paintSolidColorImageMask,
  ];
  const read = [OPS.transform, OPS.paintFormXObjectBegin, OPS.setLineWidth, OPS.constructPath, OPS.setTextRenderingMode];
  const table = new Uint8Array(Math.max(...Object.values(OPS)) + 1).fill(SKIPPED);
  for (const op of seen) table[op] = SEEN;
  for (const op of read) table[op] = READ;
  return table;
};
let operatorUse: Uint8Array | undefined;

/**
 * The port between pdfjs's API and its worker code, both in this thread. pdfjs's own
 * in-thread port (its "fake worker") structured-clones every message as a real
 * worker's would, a sixth of a document's time, mostly operator lists' arguments
 * (glyph lists, colours, text matrices) that nothing here reads, and text items. This
 * port clones the same way, except:
 * - operator-list chunks travel with only the operators readPage handles and only the
 *   arguments it reads (OPERATOR_USE; the others' arguments null);
 * - text-content chunks are copied shallowly: their items are objects pdfjs's worker
 *   code makes for the chunk and never touches again once sent (the chunk object
 *   itself it reuses).
 */
class InThreadPort {
  private listeners = new Set<(e: { data: unknown }) => void>();
  private deferred = Promise.resolve();
  constructor(private readonly operatorUse: Uint8Array) {}
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void {
    const event = { data: this.copy(message, transfer) };
    // Delivered later, in order, as pdfjs's own port does.
    this.deferred.then(() => {
      for (const listener of this.listeners) listener.call(this, event);
    });
  }
  addEventListener(_name: string, listener: (e: { data: unknown }) => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_name: string, listener: (e: { data: unknown }) => void): void {
    this.listeners.delete(listener);
  }
  terminate(): void {
    this.listeners.clear();
  }
  private copy(message: unknown, transfer?: ArrayBuffer[]): unknown {
    if (message === null || typeof message !== "object") return message;
    const chunk = (message as { chunk?: { fnArray?: unknown; argsArray?: unknown; items?: unknown; separateAnnots?: unknown } }).chunk;
    if (chunk && Array.isArray(chunk.fnArray) && Array.isArray(chunk.argsArray)) {
      // pdfjs empties these arrays once sent: new ones, with copies of the arguments kept.
      const from = chunk.fnArray as number[];
      const fromArgs = chunk.argsArray as unknown[];
      const fns: number[] = [];
      const args: unknown[] = [];
      for (let i = 0; i < from.length; i++) {
        const use = this.operatorUse[from[i]];
        if (use === SKIPPED) continue;
        fns.push(from[i]);
        args.push(use === READ ? copyArgs(fromArgs[i]) : null);
      }
      return { ...message, chunk: { ...chunk, fnArray: fns, argsArray: args, length: fns.length, separateAnnots: structuredClone(chunk.separateAnnots) } };
    }
    // The chunk object itself is reused (its items and styles replaced once sent): a shallow copy.
    if (chunk && Array.isArray(chunk.items) && !transfer?.length) return { ...message, chunk: { ...chunk } };
    // Stream control messages (pull, close, ...): primitives only, a shallow copy is a clone.
    if (!transfer?.length && Object.values(message).every((v) => v === null || typeof v !== "object")) return { ...message };
    return structuredClone(message, transfer ? { transfer } : undefined);
  }
}

/** A copy of an operator's arguments: numbers, arrays and typed arrays of them (anything else cloned). */
function copyArgs(a: unknown): unknown {
  if (a === null || typeof a !== "object") return a;
  if (Array.isArray(a)) return a.map(copyArgs);
  if (ArrayBuffer.isView(a) && "slice" in a) return (a as Float32Array).slice();
  return structuredClone(a);
}

/** A pdfjs worker in this thread on an InThreadPort (undefined: pdfjs's worker code is not loaded). */
function inThreadWorker(lib: Pdfjs): { worker: InstanceType<Pdfjs["PDFWorker"]>; close: () => void } | undefined {
  const handler = (globalThis as { pdfjsWorker?: { WorkerMessageHandler?: { initializeFromPort(port: unknown): void } } }).pdfjsWorker?.WorkerMessageHandler;
  if (!handler) return undefined;
  const port = new InThreadPort((operatorUse ??= OPERATOR_USE(lib.OPS)));
  const worker = new lib.PDFWorker({ port: port as never, verbosity: 0 });
  handler.initializeFromPort(port);
  return {
    worker,
    close: () => {
      worker.destroy();
      port.terminate();
    },
  };
}

export async function readPdf(data: Uint8Array, maxPages: number): Promise<ReadResult> {
  const lib = await pdfjs();
  const notes: string[] = [];
  const own = inThreadWorker(lib);
  try {
    return await readWith(lib, own?.worker, data, maxPages, notes);
  } finally {
    own?.close();
  }
}

async function readWith(lib: Pdfjs, worker: InstanceType<Pdfjs["PDFWorker"]> | undefined, data: Uint8Array, maxPages: number, notes: string[]): Promise<ReadResult> {
  const task = lib.getDocument({
    worker,
    data,
    cMapUrl: CMAPS,
    cMapPacked: true,
    standardFontDataUrl: FONTS,
    isEvalSupported: false,
    disableFontFace: !fontSink,
    ownerDocument: fontSink as never, // pdfjs uses only its `fonts`
    useSystemFonts: false,
    useWorkerFetch: false,
    disableAutoFetch: true,
    disableStream: true,
    enableXfa: false,
    verbosity: 0,
    stopAtErrors: false,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy().catch(() => {});
    throw mapError(e);
  }
  try {
    const numPages = doc.numPages;
    const n = Math.min(numPages, maxPages);
    if (numPages > maxPages) notes.push(`the PDF has ${numPages} pages: read the first ${maxPages} (limits.maxPdfPages)`);
    let title: string | undefined;
    try {
      const meta = await doc.getMetadata();
      const t = (meta.info as { Title?: unknown } | undefined)?.Title;
      if (typeof t === "string" && t.trim()) title = t.trim();
    } catch {
      /* metadata is optional */
    }
    const pages: PageData[] = [];
    for (let p = 1; p <= n; p++) {
      const page = await doc.getPage(p);
      try {
        pages.push(await readPage(lib, page, p));
      } finally {
        page.cleanup();
      }
    }
    return { pages, numPages, title, notes };
  } catch (e) {
    throw mapError(e);
  } finally {
    await doc.destroy().catch(() => {});
  }
}

function mapError(e: unknown): ExtractError {
  if (e instanceof ExtractError) return e;
  const name = (e as { name?: string })?.name ?? "";
  const message = (e as { message?: string })?.message ?? String(e);
  if (name === "PasswordException") return new ExtractError("the PDF is encrypted with a password", "encrypted");
  if (name === "InvalidPDFException" || name === "FormatError" || name === "UnknownErrorException" || /Invalid PDF|XRef|bad FCHECK|stream/i.test(message))
    return new ExtractError(`the PDF is damaged or truncated: ${message}`, "corrupt-pdf");
  return new ExtractError(`the PDF could not be read: ${message}`, "corrupt-pdf");
}

type PdfPage = Awaited<ReturnType<Awaited<ReturnType<Pdfjs["getDocument"]>["promise"]>["getPage"]>>;

async function readPage(lib: Pdfjs, page: PdfPage, number: number): Promise<PageData> {
  const [vx0, vy0, vx1, vy1] = page.view;
  const content = await page.getTextContent({ includeMarkedContent: false });
  const items = content.items.filter((it): it is typeof it & { str: string; transform: M; width: number } => "str" in it && it.str !== "");
  // A page shown turned (/Rotate) or drawn turned is read in a frame where its text stands upright.
  const viewport = page.getViewport({ scale: 1 });
  const frame = pageFrame(page.rotate, viewport.transform as M, viewport.width, viewport.height, items);
  const runs: TextRun[] = [];
  for (const it of items) {
    const [a, b, c, d, e, f] = frame ? mul(frame.reading, it.transform) : it.transform;
    // Upright text only: rotated runs (stamps, vertical captions) are kept at their origin.
    const size = Math.hypot(c, d) || Math.hypot(a, b) || 1;
    // A font that maps ideographs' glyphs to radicals (Chromium's print): the ideographs, as every later step must see them.
    runs.push({ str: ideographsForRadicals(it.str), x: e, y: f, w: Math.abs(b) > Math.abs(a) ? 0 : it.width, size });
  }

  const ops = await page.getOperatorList();
  const { OPS } = lib;
  const h: Segment[] = [];
  const v: Segment[] = [];
  let images = 0;
  let shapes = 0;
  let largestImage = 0;
  let largestImageBox: PageData["largestImageBox"];
  // Paths and pictures are placed in the reading frame by starting from its map.
  let ctm: M = frame ? frame.reading : IDENTITY;
  let lineWidth = 1;
  let renderMode = 0;
  let hiddenText = 0;
  let shownText = 0;
  // The clip in effect (its bounding box; null: the whole page) and whether the next path sets it (W, W*).
  let clip: Box | null = null;
  let clipNext = false;
  const textClips = new Map<string, Box>();
  const stack: { ctm: M; lineWidth: number; renderMode: number; clip: Box | null }[] = [];
  // Only the operators OPERATOR_USE lists arrive, with arguments only where it says READ
  // (the port leaves the rest out): a case added here needs its operator listed there.
  const save = () => stack.push({ ctm, lineWidth, renderMode, clip });
  const restore = () => {
    const s = stack.pop();
    if (s) ({ ctm, lineWidth, renderMode, clip } = s);
  };
  const { fnArray, argsArray } = ops;
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[];
    switch (fn) {
      case OPS.save:
        save();
        break;
      case OPS.restore:
        restore();
        break;
      case OPS.setTextRenderingMode:
        renderMode = args[0] as number;
        break;
      case OPS.clip:
      case OPS.eoClip:
        clipNext = true;
        break;
      case OPS.showText:
      case OPS.showSpacedText:
      case OPS.nextLineShowText:
      case OPS.nextLineSetSpacingShowText:
        if (renderMode === 3 || renderMode === 7) hiddenText++;
        else shownText++;
        if (clip) textClips.set(`${clip.x0.toFixed(1)} ${clip.y0.toFixed(1)} ${clip.x1.toFixed(1)} ${clip.y1.toFixed(1)}`, clip);
        break;
      case OPS.transform:
        ctm = mul(ctm, args as unknown as M);
        break;
      case OPS.paintFormXObjectBegin: {
        save(); // a form's drawing runs in its own graphics state
        const m = args[0] as number[] | null;
        if (m && m.length === 6) ctm = mul(ctm, m as M);
        break;
      }
      case OPS.paintFormXObjectEnd:
        restore();
        break;
      case OPS.setLineWidth:
        lineWidth = args[0] as number;
        break;
      case OPS.paintImageXObject:
      case OPS.paintInlineImageXObject:
      case OPS.paintImageMaskXObject:
      case OPS.paintImageXObjectRepeat:
      case OPS.paintImageMaskXObjectRepeat:
      case OPS.paintSolidColorImageMask: {
        images++;
        // An image is painted onto the unit square the current transform maps.
        const area = Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]);
        if (area > largestImage) {
          largestImage = area;
          const xs = [ctm[4], ctm[4] + ctm[0], ctm[4] + ctm[2], ctm[4] + ctm[0] + ctm[2]];
          const ys = [ctm[5], ctm[5] + ctm[1], ctm[5] + ctm[3], ctm[5] + ctm[1] + ctm[3]];
          largestImageBox = { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
        }
        break;
      }
      case OPS.constructPath: {
        const paint = args[0] as number;
        const path = (args[1] as (Float32Array | null)[])?.[0];
        if (clipNext && path) {
          const b = pathBox(path, ctm);
          if (b) clip = clip ? { x0: Math.max(clip.x0, b.x0), y0: Math.max(clip.y0, b.y0), x1: Math.min(clip.x1, b.x1), y1: Math.min(clip.y1, b.y1) } : b;
        }
        clipNext = false;
        if (!path || paint === OPS.endPath) break;
        const stroke = paint === OPS.stroke || paint === OPS.closeStroke || paint === OPS.fillStroke || paint === OPS.eoFillStroke || paint === OPS.closeFillStroke || paint === OPS.closeEOFillStroke;
        const fill = paint === OPS.fill || paint === OPS.eoFill || paint === OPS.fillStroke || paint === OPS.eoFillStroke || paint === OPS.closeFillStroke || paint === OPS.closeEOFillStroke;
        shapes += pathSegments(path, ctm, stroke, fill, lineWidth, h, v);
        break;
      }
    }
  }
  const box = frame ? frame.box : { x0: Math.min(vx0, vx1), y0: Math.min(vy0, vy1), x1: Math.max(vx0, vx1), y1: Math.max(vy0, vy1) };
  const turned = frame ? { show: frame.show, rotate: frame.rotate, turned: frame.turned } : {};
  return {
    page: number, box, ...turned, runs, h, v, images, largestImage, ...(largestImageBox ? { largestImageBox } : {}), hiddenText, shownText, ...(shapes ? { shapes } : {}),
    ...(textClips.size ? { textClips: [...textClips.values()] } : {}),
  };
}

type Box = { x0: number; y0: number; x1: number; y1: number };

/** The bounding box of a path's points (curves by their end points) in the frame ctm maps to; undefined for an empty path. */
function pathBox(path: Float32Array, ctm: M): Box | undefined {
  const xs: number[] = [];
  const ys: number[] = [];
  const at = (x: number, y: number) => {
    const [px, py] = apply(ctm, x, y);
    xs.push(px);
    ys.push(py);
  };
  for (let i = 0; i < path.length; ) {
    const op = path[i++];
    if (op === 0 || op === 1) {
      at(path[i], path[i + 1]);
      i += 2;
    } else if (op === 2) {
      at(path[i + 4], path[i + 5]);
      i += 6;
    } else if (op === 3) {
      at(path[i + 2], path[i + 3]);
      i += 4;
    } else if (op !== 4) break;
  }
  return xs.length ? { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) } : undefined;
}

const AXIS = 0.6;

/**
 * Straight axis-aligned pieces of one painted path, in the page's frame, into `h` and `v`.
 * Returns how many of its subpaths are filled shapes other than rules.
 */
function pathSegments(path: Float32Array, ctm: M, stroke: boolean, fill: boolean, lineWidth: number, h: Segment[], v: Segment[]): number {
  // Subpaths as point lists (curves end a subpath's straightness: their pieces are skipped).
  const subpaths: { pts: [number, number][]; straight: boolean; closed: boolean }[] = [];
  let cur: { pts: [number, number][]; straight: boolean; closed: boolean } | undefined;
  for (let i = 0; i < path.length; ) {
    const op = path[i++];
    if (op === 0) {
      cur = { pts: [apply(ctm, path[i], path[i + 1])], straight: true, closed: false };
      subpaths.push(cur);
      i += 2;
    } else if (op === 1) {
      cur?.pts.push(apply(ctm, path[i], path[i + 1]));
      i += 2;
    } else if (op === 2) {
      if (cur) {
        cur.straight = false;
        cur.pts.push(apply(ctm, path[i + 4], path[i + 5]));
      }
      i += 6;
    } else if (op === 3) {
      if (cur) {
        cur.straight = false;
        cur.pts.push(apply(ctm, path[i + 2], path[i + 3]));
      }
      i += 4;
    } else if (op === 4) {
      if (cur) cur.closed = true;
    } else break;
  }
  let shapes = 0;
  for (const sp of subpaths) {
    if (!sp.straight || sp.pts.length < 2) {
      if (fill && sp.pts.length >= 2) shapes++;
      continue;
    }
    const xs = sp.pts.map((p) => p[0]);
    const ys = sp.pts.map((p) => p[1]);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const wdt = x1 - x0, hgt = y1 - y0;
    if (fill && sp.pts.length >= 3 && wdt > 0 && hgt > 0) {
      // A filled thin rectangle is a rule along its long side.
      if (hgt <= RULE_MAX && wdt > hgt) {
        h.push({ x0, x1, y0: (y0 + y1) / 2, y1: (y0 + y1) / 2 });
        continue;
      }
      if (wdt <= RULE_MAX && hgt > wdt) {
        v.push({ x0: (x0 + x1) / 2, x1: (x0 + x1) / 2, y0, y1 });
        continue;
      }
      shapes++;
      if (!stroke) continue;
    }
    if (!stroke && !(fill && (wdt <= RULE_MAX || hgt <= RULE_MAX))) continue;
    if (lineWidth * Math.hypot(ctm[0], ctm[1]) > RULE_MAX * 2) continue;
    const pts = sp.closed ? [...sp.pts, sp.pts[0]] : sp.pts;
    for (let k = 1; k < pts.length; k++) {
      const [ax, ay] = pts[k - 1];
      const [bx, by] = pts[k];
      if (Math.abs(ay - by) <= AXIS && Math.abs(ax - bx) > AXIS) {
        const y = (ay + by) / 2;
        h.push({ x0: Math.min(ax, bx), x1: Math.max(ax, bx), y0: y, y1: y });
      } else if (Math.abs(ax - bx) <= AXIS && Math.abs(ay - by) > AXIS) {
        const x = (ax + bx) / 2;
        v.push({ x0: x, x1: x, y0: Math.min(ay, by), y1: Math.max(ay, by) });
      }
    }
  }
  return shapes;
}
