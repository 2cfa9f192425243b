// Whether another process still runs: a crawl's lock and a writer's temp files belong to
// a pid, and are taken over or swept only when that process is gone.

/** Whether a process with this pid exists on this machine (EPERM: it does, owned by someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
