// Bundles the CLI into one ESM file so start-up reads a single module.
import { build } from "esbuild";
import { readFileSync, chmodSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url)));

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/train.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  mainFields: ["module", "main"],
  banner: {
    js: [
      "#!/usr/bin/env node",
      'import { createRequire as __trainshRequire } from "node:module";',
      "const require = __trainshRequire(import.meta.url);",
    ].join("\n"),
  },
  define: { __TRAINSH_VERSION__: JSON.stringify(pkg.version) },
  logLevel: "warning",
});
chmodSync("dist/train.js", 0o755);
