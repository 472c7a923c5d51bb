// Delivery of `notify` messages: always a line on stderr (through the run's
// events), a desktop notification where `notify-send` or `osascript` exists,
// and a JSON POST to the configured webhook.
import { commandExists, runProcess } from "../remote/process.ts";
import { redact } from "../secrets/redact.ts";

const WEBHOOK_TIMEOUT_MS = 10_000;

export interface NotifyResult {
  desktop: boolean;
  webhook?: { ok: boolean; detail: string };
}

async function notifyDesktop(message: string): Promise<boolean> {
  if (await commandExists("notify-send")) {
    const result = await runProcess(["notify-send", "train", message], {
      timeoutMs: 5000,
    });
    return !result.failed;
  }
  if (process.platform === "darwin" && (await commandExists("osascript"))) {
    // The message reaches AppleScript as an argument, not as script text.
    const script =
      'on run argv\ndisplay notification (item 1 of argv) with title "train"\nend run';
    const result = await runProcess(["osascript", "-e", script, message], {
      timeoutMs: 5000,
    });
    return !result.failed;
  }
  return false;
}

async function postWebhook(
  url: string,
  message: string,
  jobId: string,
): Promise<{ ok: boolean; detail: string }> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: message, source: "train", job: jobId }),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    return { ok: response.ok, detail: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

export async function deliverNotification(
  message: string,
  opts: { webhookUrl?: string; jobId: string },
): Promise<NotifyResult> {
  const text = redact(message);
  const [desktop, webhook] = await Promise.all([
    process.env.TRAINSH_NO_DESKTOP_NOTIFY === "1"
      ? Promise.resolve(false)
      : notifyDesktop(text),
    opts.webhookUrl === undefined
      ? Promise.resolve(undefined)
      : postWebhook(opts.webhookUrl, text, opts.jobId),
  ]);
  return { desktop, webhook };
}
