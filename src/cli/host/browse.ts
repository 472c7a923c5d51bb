// `train host browse NAME [PATH]`: pick entries from a menu to move around a
// host's files, type a filter, look at a file's size and first lines, and
// copy its path.
import pc from "picocolors";
import {
  formatSize,
  joinRemote,
  parentOf,
  parseLsLong,
  sortEntries,
  type RemoteEntry,
} from "../../hosts/ls-listing.ts";
import { listDirectory, readHead } from "../../remote/remote-files.ts";
import type { SshHost } from "../../remote/ssh.ts";
import { askChoice, askText, requireTerminal } from "../../ui/prompt.ts";
import { requireSshHost } from "./shared.ts";
import { showFile } from "./browse-file.ts";

interface View {
  path: string;
  entries: RemoteEntry[];
  filter: string;
  hidden: boolean;
}

type Action = "up" | "home" | "filter" | "hidden" | "goto" | "quit";
type Choice = `action:${Action}` | `entry:${number}`;

export async function browseCommand(
  name: string,
  path: string | undefined,
): Promise<void> {
  requireTerminal(
    "`train host browse`",
    "list files with `train exec '@HOST > ls -la PATH'`",
  );
  const host = requireSshHost(name);
  let view = await open(host, path ?? "~", { filter: "", hidden: true });
  for (;;) {
    const choice = await askChoice<Choice>(
      `${host.label}:${view.path}`,
      menu(view),
    );
    if (choice === "action:quit") return;
    view = await act(host, view, choice);
  }
}

async function open(
  host: SshHost,
  path: string,
  keep: Pick<View, "filter" | "hidden">,
): Promise<View> {
  const listed = await listDirectory(host, path);
  return {
    ...keep,
    path: listed.path,
    entries: sortEntries(parseLsLong(listed.listing)),
  };
}

export function visibleEntries(view: View): RemoteEntry[] {
  const needle = view.filter.toLowerCase();
  return view.entries.filter(
    (entry) =>
      (view.hidden || !entry.name.startsWith(".")) &&
      entry.name.toLowerCase().includes(needle),
  );
}

function menu(view: View): { value: Choice; label: string; hint?: string }[] {
  const filterLabel =
    view.filter === "" ? "/ filter" : `/ filter (now "${view.filter}")`;
  const items: { value: Choice; label: string; hint?: string }[] = [
    { value: "action:up", label: ".. parent directory" },
    { value: "action:home", label: "~  home directory" },
    { value: "action:filter", label: filterLabel },
    {
      value: "action:hidden",
      label: view.hidden ? "h  hide dot files" : "h  show dot files",
    },
    { value: "action:goto", label: "g  go to a path" },
    { value: "action:quit", label: "q  quit" },
  ];
  visibleEntries(view).forEach((entry) => {
    const index = view.entries.indexOf(entry);
    items.push({ value: `entry:${index}`, ...entryLabel(entry) });
  });
  return items;
}

function entryLabel(entry: RemoteEntry): { label: string; hint?: string } {
  if (entry.kind === "dir") return { label: pc.bold(`${entry.name}/`) };
  if (entry.kind === "link")
    return { label: `${entry.name}@`, hint: `-> ${entry.target ?? "?"}` };
  return { label: entry.name, hint: formatSize(entry.size) };
}

async function act(host: SshHost, view: View, choice: Choice): Promise<View> {
  const keep = { filter: view.filter, hidden: view.hidden };
  switch (choice) {
    case "action:up":
      return open(host, parentOf(view.path), { ...keep, filter: "" });
    case "action:home":
      return open(host, "~", { ...keep, filter: "" });
    case "action:filter":
      return { ...view, filter: await askFilter(view.filter) };
    case "action:hidden":
      return { ...view, hidden: !view.hidden };
    case "action:goto":
      return goTo(host, view);
    default:
      return openEntry(host, view, Number(choice.slice("entry:".length)));
  }
}

async function askFilter(current: string): Promise<string> {
  return askText({
    message: "Show names containing (empty shows all)",
    placeholder: current === "" ? "text" : current,
    defaultValue: "",
  });
}

async function goTo(host: SshHost, view: View): Promise<View> {
  const target = await askText({
    message: "Path (absolute, or ~/...)",
    check: (answer) => (answer === "" ? "a path is required" : undefined),
  });
  try {
    return await open(host, target, { filter: "", hidden: view.hidden });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return view;
  }
}

async function openEntry(
  host: SshHost,
  view: View,
  index: number,
): Promise<View> {
  const entry = view.entries[index];
  if (entry === undefined) return view;
  const path = joinRemote(view.path, entry.name);
  if (entry.kind === "dir") return open(host, path, { ...view, filter: "" });
  try {
    // A link may point at a directory; listing it tells the two apart.
    if (entry.kind === "link")
      return await open(host, path, { ...view, filter: "" });
  } catch {
    // Not a directory: show it as a file.
  }
  await showFile(host, path, entry, () => readHead(host, path));
  return view;
}
