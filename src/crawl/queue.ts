// Scheduling requests politely: one p-queue per host (its own concurrency and a gap
// between request starts) feeding one global p-queue (the overall concurrency). A slow
// host holds at most its own per-host slots of the global limit, so it never stalls
// the other portals.
//
// The gap is measured at the real request start (when the global slot is taken), not
// with p-queue's `interval`, which counts the start of the host task, and that task may
// then wait for a global slot: the real gap could be shorter than configured.
import PQueue from "p-queue";

export interface SchedulerOptions {
  concurrency: number;
  perHostConcurrency: number;
  /** Gap between request starts on one host, unless set per host. */
  defaultIntervalMs: number;
}

interface HostState {
  queue: PQueue;
  intervalMs: number;
  /** Whether a portal set the gap (else it is the default). */
  explicit: boolean;
  /** Earliest start time of the next request on this host (ms since epoch). */
  nextStart: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class HostScheduler {
  private readonly global: PQueue;
  private readonly hosts = new Map<string, HostState>();
  /** Requests started, in total and per host. */
  started = 0;
  readonly startedPerHost = new Map<string, number>();

  constructor(private readonly opts: SchedulerOptions) {
    this.global = new PQueue({ concurrency: opts.concurrency });
  }

  private host(host: string): HostState {
    let h = this.hosts.get(host);
    if (!h) {
      h = { queue: new PQueue({ concurrency: this.opts.perHostConcurrency }), intervalMs: this.opts.defaultIntervalMs, explicit: false, nextStart: 0 };
      this.hosts.set(host, h);
    }
    return h;
  }

  /**
   * Sets a host's gap. Several portals on one host: the first explicit setting replaces
   * the default, later ones can only lengthen it (the politest wins).
   */
  setInterval(host: string, ms: number, explicit = true): void {
    const h = this.host(host);
    if (explicit && !h.explicit) {
      h.intervalMs = ms;
      h.explicit = true;
    } else h.intervalMs = Math.max(h.intervalMs, ms);
  }

  /** No request to `host` starts before `ms` from now (a Retry-After). */
  holdOff(host: string, ms: number): void {
    const h = this.host(host);
    h.nextStart = Math.max(h.nextStart, Date.now() + ms);
  }

  intervalOf(host: string): number {
    return this.host(host).intervalMs;
  }

  /** Runs `fn` as one request to `host`, once a host slot, the host's gap and a global slot allow. */
  run<T>(host: string, fn: () => Promise<T>): Promise<T> {
    const h = this.host(host);
    return h.queue.add(async () => {
      // Reserve a start time, wait for it holding only the host slot, then take a global slot.
      const now = Date.now();
      const mine = Math.max(now, h.nextStart);
      h.nextStart = mine + h.intervalMs;
      if (mine > now) await sleep(mine - now);
      return this.global.add(async () => {
        const late = Date.now();
        // A global wait may have pushed the start: keep the gap for the next one.
        h.nextStart = Math.max(h.nextStart, late + h.intervalMs);
        this.started++;
        this.startedPerHost.set(host, (this.startedPerHost.get(host) ?? 0) + 1);
        return fn();
      });
    }) as Promise<T>;
  }
}
