import { test } from "node:test";
import assert from "node:assert/strict";
import { homedir } from "node:os";
import {
  HostSpecError,
  parseHostSpec,
  splitWords,
  toResolvedHost,
} from "../../src/hosts/spec.ts";

test("parseHostSpec reads keywords", () => {
  assert.deepEqual(parseHostSpec("local"), { kind: "local" });
  assert.deepEqual(parseHostSpec("  placeholder "), { kind: "placeholder" });
  assert.deepEqual(parseHostSpec("vast:123"), {
    kind: "vast",
    instanceId: "123",
  });
});

test("parseHostSpec bare alias is ssh", () => {
  assert.deepEqual(parseHostSpec("gpu1"), {
    kind: "ssh",
    destination: "gpu1",
    options: [],
  });
  assert.deepEqual(parseHostSpec("ssh:gpu-internal"), {
    kind: "ssh",
    destination: "gpu-internal",
    options: [],
  });
});

test("parseHostSpec reads every flag", () => {
  const spec = parseHostSpec(
    "user@host -p 2222 -i ~/.ssh/k -J bastion -o A=B -o C=D",
  );
  assert.deepEqual(spec, {
    kind: "ssh",
    destination: "user@host",
    port: 2222,
    identityFile: `${homedir()}/.ssh/k`,
    jump: "bastion",
    options: ["A=B", "C=D"],
  });
});

test("parseHostSpec accepts attached values", () => {
  const spec = parseHostSpec("-p2222 root@h -oBatchMode=yes");
  assert.equal(spec.kind, "ssh");
  if (spec.kind !== "ssh") return;
  assert.equal(spec.port, 2222);
  assert.equal(spec.destination, "root@h");
  assert.deepEqual(spec.options, ["BatchMode=yes"]);
});

test("parseHostSpec honours shell quotes", () => {
  const spec = parseHostSpec(
    `u@h -i "/keys/my key" -o 'ProxyCommand=nc %h %p' -o X=a\\ b`,
  );
  assert.equal(spec.kind, "ssh");
  if (spec.kind !== "ssh") return;
  assert.equal(spec.identityFile, "/keys/my key");
  assert.deepEqual(spec.options, ["ProxyCommand=nc %h %p", "X=a b"]);
});

test("splitWords handles escapes in quotes", () => {
  assert.deepEqual(splitWords(`a "b \\"c\\" \\n" 'd\\e' f\\'g`), [
    "a",
    'b "c" \\n',
    "d\\e",
    "f'g",
  ]);
  assert.deepEqual(splitWords(`''`), [""]);
});

test("unknown flag lists accepted flags", () => {
  assert.throws(
    () => parseHostSpec("u@h -v"),
    (error: unknown) => {
      assert.ok(error instanceof HostSpecError);
      assert.match(error.message, /unknown flag -v/);
      assert.match(
        error.message,
        /-p PORT, -i IDENTITY_FILE, -J JUMP_HOST, -o OPTION=VALUE/,
      );
      assert.match(error.message, /\nTry: /);
      return true;
    },
  );
});

const INVALID: [string, string, RegExp][] = [
  ["empty spec", "   ", /empty/],
  ["missing destination", "-p 22", /destination is missing/],
  ["port zero", "u@h -p 0", /port "0"/],
  ["port too large", "u@h -p 70000", /port "70000"/],
  ["port not numeric", "u@h -p ssh", /port "ssh"/],
  ["missing flag value", "u@h -i", /flag -i needs a value/],
  ["second destination", "u@h other", /unexpected word "other"/],
  ["unclosed single quote", "u@h -i 'x", /single quote is not closed/],
  ["unclosed double quote", 'u@h -i "x', /double quote is not closed/],
  ["vast without number", "vast:abc", /not a Vast.ai instance ID/],
  ["empty option", "u@h -o ''", /-o has an empty value/],
];

for (const [name, text, pattern] of INVALID) {
  test(`parseHostSpec rejects ${name}`, () => {
    assert.throws(
      () => parseHostSpec(text),
      (error: unknown) => {
        assert.ok(error instanceof HostSpecError);
        assert.match(error.message, pattern);
        return true;
      },
    );
  });
}

test("toResolvedHost builds ssh options", () => {
  const spec = parseHostSpec("root@h -o A=B -J b -i /k -p 2222");
  assert.deepEqual(toResolvedHost("gpu", spec), {
    kind: "ssh",
    label: "gpu",
    destination: "root@h",
    sshOptions: ["-p", "2222", "-i", "/k", "-J", "b", "-o", "A=B"],
  });
  assert.deepEqual(toResolvedHost("here", { kind: "local" }), {
    kind: "local",
    label: "here",
  });
});

test("toResolvedHost rejects unresolved hosts", () => {
  assert.throws(
    () => toResolvedHost("gpu", { kind: "placeholder" }),
    /@gpu is a placeholder[\s\S]*Try: /,
  );
  assert.throws(
    () => toResolvedHost("gpu", { kind: "vast", instanceId: "7" }),
    /Vast.ai instance 7[\s\S]*Try: /,
  );
});
