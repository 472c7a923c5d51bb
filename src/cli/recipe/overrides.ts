// `--var NAME=VALUE` and `--host NAME=SPEC` flags.
import { UsageError } from "../errors.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseAssignments(
  flag: string,
  values: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    const name = eq < 0 ? value : value.slice(0, eq);
    if (eq < 0 || !NAME.test(name)) {
      throw new UsageError(
        `invalid ${flag} "${value}": expected NAME=VALUE`,
        `for example ${flag} MODEL=llama-7b`,
      );
    }
    out[name] = value.slice(eq + 1);
  }
  return out;
}
