// Name rules shared by the parser and the checker.

/** Names of variables, hosts, storages and session aliases. */
export const DEFINITION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `@NAME` targets; wider than definitions because hosts.toml names and ssh aliases may contain `-` and `.`. */
export const TARGET_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** A value that is one whole `$NAME` or `${NAME}` reference, checked at run time. */
export const VARIABLE_VALUE =
  /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})$/;

const VARIABLE_INSIDE = /\$(?:[A-Za-z_]|\{[A-Za-z_])/;

export function containsVariable(text: string): boolean {
  return VARIABLE_INSIDE.test(text);
}

export const NAME_RULE =
  "use letters, digits and _, starting with a letter or _";
