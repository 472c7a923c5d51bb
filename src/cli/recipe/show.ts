import { findRecipe } from "./find.ts";
import { loadRecipe } from "./load.ts";

export async function showCommand(
  ref: string,
  flags: { json?: boolean },
): Promise<void> {
  const found = findRecipe(ref);
  const recipe = loadRecipe(found.path);
  if (flags.json) {
    process.stdout.write(JSON.stringify(recipe, null, 2) + "\n");
    return;
  }
  const out: string[] = [`Recipe: ${found.name}`, `Path: ${found.path}`, ""];
  for (const kind of ["var", "host", "storage"] as const) {
    const defs = recipe.definitions.filter((d) => d.kind === kind);
    if (defs.length === 0) continue;
    out.push(
      `${{ var: "Variables", host: "Hosts", storage: "Storage" }[kind]}:`,
    );
    for (const def of defs)
      out.push(`  ${kind === "var" ? "$" : "@"}${def.name} = ${def.value}`);
    out.push("");
  }
  out.push(`Steps (${recipe.steps.length}):`);
  for (const step of recipe.steps) {
    const [first, ...rest] = step.text.split("\n");
    out.push(
      `  ${step.index + 1}. [${step.kind}] ${first}${rest.length > 0 ? ` (+${rest.length} lines)` : ""}`,
    );
  }
  process.stdout.write(out.join("\n") + "\n");
}
