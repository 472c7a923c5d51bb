// Reading and atomic writing of the TOML files in the config home.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, basename, join } from "node:path";
import { parse, stringify, TomlError } from "smol-toml";

export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly line?: number,
  ) {
    super(
      line === undefined
        ? `${file}: ${message}`
        : `${file}:${line}: ${message}`,
    );
    this.name = "ConfigFileError";
  }
}

/** Parses a TOML file; a missing file yields `{}`, a broken one names file and line. */
export function readToml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const first = error.message.split("\n")[0] ?? error.message;
      throw new ConfigFileError(file, `invalid TOML: ${first}`, error.line);
    }
    throw error;
  }
}

/**
 * Writes `content` through a temp file in the same directory and a rename, so
 * a write killed midway leaves the old file whole. The temp file is created
 * fresh with `mode` (so a secrets file is never readable by others, even for
 * a moment), flushed to disk before the rename unless `flush` is false, and
 * removed if writing fails.
 */
export function writeFileAtomic(
  file: string,
  content: string,
  mode = 0o644,
  { flush = true }: { flush?: boolean } = {},
): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  rmSync(temp, { force: true });
  try {
    const fd = openSync(temp, "wx", mode);
    try {
      writeFileSync(fd, content);
      if (flush) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function writeToml(
  file: string,
  data: Record<string, unknown>,
  mode = 0o644,
): void {
  writeFileAtomic(file, stringify(data) + "\n", mode);
}
