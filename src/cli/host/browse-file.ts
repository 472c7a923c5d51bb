// The file view of `train host browse`: size, the first lines, and copying
// the path.
import { formatSize, type RemoteEntry } from "../../hosts/ls-listing.ts";
import type { SshHost } from "../../remote/ssh.ts";
import { askChoice } from "../../ui/prompt.ts";

const HEAD_LINES = 20;

export async function showFile(
  host: SshHost,
  path: string,
  entry: RemoteEntry,
  read: () => Promise<Buffer>,
): Promise<void> {
  process.stderr.write(
    `\n${path}\n${entry.mode}  ${formatSize(entry.size) || "size unknown"}\n`,
  );
  for (;;) {
    const choice = await askChoice(path, [
      { value: "head", label: `show the first ${HEAD_LINES} lines` },
      { value: "copy", label: "copy the path" },
      { value: "back", label: "back" },
    ]);
    if (choice === "back") return;
    if (choice === "copy") copyPath(`${host.label}:${path}`, path);
    else process.stderr.write(headText(await read()));
  }
}

/** The first lines of a file, or a note when it looks binary. */
export function headText(data: Buffer): string {
  if (data.includes(0)) return "(binary file: not shown)\n";
  const lines = data.toString("utf8").split("\n").slice(0, HEAD_LINES);
  return lines.join("\n") + "\n";
}

// OSC 52 asks the terminal to put text on the clipboard; it works over ssh
// and in tmux with `set-clipboard on`. The path also goes to stdout, so it
// is there when the terminal ignores OSC 52.
function copyPath(label: string, path: string): void {
  if (process.stderr.isTTY === true) {
    const payload = Buffer.from(path, "utf8").toString("base64");
    process.stderr.write(`\u001b]52;c;${payload}\u0007`);
  }
  process.stdout.write(`${path}\n`);
  process.stderr.write(`copied ${label}\n`);
}
