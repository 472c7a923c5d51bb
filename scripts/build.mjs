// Bundles the CLI into one ESM file so start-up reads a single module.
import { build } from "esbuild";
import { readFileSync, chmodSync, rmSync } from "node:fs";

const pkg = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url)),
);

// Command code loads lazily from chunks, so start-up parses only the
// command tree.
rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: ["src/cli/main.ts"],
  outdir: "dist",
  entryNames: "train",
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  mainFields: ["module", "main"],
  // A native addon: its platform package loads a .node file at run time.
  external: ["@napi-rs/keyring"],
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
