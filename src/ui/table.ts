// Tables on stdout: boxed columns on a terminal, tab-separated rows otherwise
// so scripts can cut and grep them.
import Table from "cli-table3";

export function renderTable(
  head: string[],
  rows: string[][],
  tty = process.stdout.isTTY === true,
): string {
  if (!tty)
    return [head, ...rows].map((row) => row.join("\t")).join("\n") + "\n";
  const plain =
    process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "";
  const table = new Table({
    head,
    style: { head: plain ? [] : ["bold"], border: [] },
  });
  table.push(...rows);
  return table.toString() + "\n";
}
