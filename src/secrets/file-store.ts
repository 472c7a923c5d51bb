// The fallback secrets store: a TOML file in the config home, mode 0600,
// written atomically. It is not encrypted; file permissions are its only
// protection, which `train secrets` says once when it creates the file.
import { chmodSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { configHome } from "../config/paths.ts";
import { readToml, writeToml, ConfigFileError } from "../config/toml-file.ts";

export const SECRETS_FILE_MODE = 0o600;

export function secretsFilePath(): string {
  return join(configHome(), "secrets.toml");
}

export class FileSecretStore {
  constructor(readonly file = secretsFilePath()) {}

  exists(): boolean {
    return existsSync(this.file);
  }

  private read(): Record<string, string> {
    if (!this.exists()) return {};
    this.tightenMode();
    const data = readToml(this.file);
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(data)) {
      if (typeof value !== "string") {
        throw new ConfigFileError(
          this.file,
          `secret ${name} must be a string; fix or delete that line`,
        );
      }
      values[name] = value;
    }
    return values;
  }

  // A copied or restored file may have lost its mode; a readable secrets
  // file is made private again before use.
  private tightenMode(): void {
    if ((statSync(this.file).mode & 0o077) !== 0)
      chmodSync(this.file, SECRETS_FILE_MODE);
  }

  get(name: string): string | undefined {
    return this.read()[name];
  }

  names(): string[] {
    return Object.keys(this.read());
  }

  set(name: string, value: string): void {
    const values = this.read();
    values[name] = value;
    writeToml(this.file, values, SECRETS_FILE_MODE);
  }

  delete(name: string): boolean {
    const values = this.read();
    if (!(name in values)) return false;
    delete values[name];
    writeToml(this.file, values, SECRETS_FILE_MODE);
    return true;
  }
}
