// Runs a test's work with one external tool pointed at a path that does not exist
// (XXGK_TESSERACT, XXGK_IMG2PDF, XXGK_SOFFICE), as on a machine without it; the setting
// is restored after, whatever happens.
import { join } from "node:path";

export async function withoutTool<T>(name: string, dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = join(dir, "no-such-tool");
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}
