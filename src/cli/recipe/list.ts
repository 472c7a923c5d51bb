import { paths } from "../../config/paths.ts";
import { renderTable } from "../../ui/table.ts";
import { examplesDir, listRecipes } from "./find.ts";

export async function listCommand(flags: { json?: boolean }): Promise<void> {
  const user = listRecipes(paths.recipes()).map((name) => ({
    name,
    source: "user",
  }));
  const bundled = listRecipes(examplesDir()).map((name) => ({
    name,
    source: "bundled",
  }));
  const all = [...user, ...bundled];
  if (flags.json) {
    process.stdout.write(JSON.stringify(all, null, 2) + "\n");
    return;
  }
  process.stdout.write(
    renderTable(
      ["Recipe", "Source"],
      all.map((r) => [r.name, r.source]),
    ),
  );
  if (user.length === 0) {
    process.stderr.write(
      `no recipes in ${paths.recipes()} yet; create one with \`train recipe new NAME\`\n`,
    );
  }
}
