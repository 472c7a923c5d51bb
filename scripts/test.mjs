// Runs every test file with node's test runner. Node 20 does not expand
// globs, so the files are listed here; an empty list is an error, never a pass.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (entry.endsWith(".test.ts")) found.push(path);
  }
  return found;
}

const filter = process.argv.slice(2);
let files = findTests("test").sort();
if (filter.length > 0)
  files = files.filter((f) => filter.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error(
    `no test files matched ${filter.join(" ") || "test/**/*.test.ts"}`,
  );
  process.exit(1);
}

const concurrency = process.env.TRAINSH_TEST_CONCURRENCY ?? "2";
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
