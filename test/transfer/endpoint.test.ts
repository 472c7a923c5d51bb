import assert from "node:assert/strict";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { describe, test } from "node:test";
import { parseEndpointText } from "../../src/transfer/endpoint.ts";
import { landingPath } from "../../src/transfer/landing.ts";
import {
  localToolPath,
  locate,
  remoteToolPath,
} from "../../src/transfer/location.ts";
import { TransferError } from "../../src/transfer/transfer.ts";

describe("parseEndpointText", () => {
  const cases: [string, { ref?: string; path: string }][] = [
    ["@gpu:/data/x", { ref: "gpu", path: "/data/x" }],
    ["@gpu:/data/x/", { ref: "gpu", path: "/data/x/" }],
    ["@gpu", { ref: "gpu", path: "" }],
    ["@gpu:", { ref: "gpu", path: "" }],
    ["@gpu:~/out", { ref: "gpu", path: "~/out" }],
    ["@gpu:a:b", { ref: "gpu", path: "a:b" }],
    ["./local", { path: "./local" }],
    ["C:\\data\\x", { path: "C:\\data\\x" }],
    ["/abs/path/", { path: "/abs/path/" }],
  ];
  for (const [text, expected] of cases) {
    test(`parses ${text}`, () => {
      assert.deepEqual(parseEndpointText(text), expected);
    });
  }

  test("rejects empty host name", () => {
    assert.throws(() => parseEndpointText("@:/x"), TransferError);
  });

  test("rejects empty text", () => {
    assert.throws(() => parseEndpointText(""), /empty/);
  });
});

describe("tool paths", () => {
  test("local path becomes absolute", () => {
    assert.equal(localToolPath("./out"), resolve("out"));
  });

  test("local path keeps trailing slash", () => {
    assert.equal(localToolPath("./out/"), `${resolve("out")}/`);
  });

  test("local dot suffix means contents", () => {
    assert.equal(localToolPath("./out/."), `${resolve("out")}/`);
  });

  test("local tilde expands to home", () => {
    assert.equal(localToolPath("~/x"), resolve(homedir(), "x"));
  });

  const remote: [string, string][] = [
    ["", "."],
    ["~", "."],
    ["~/", "./"],
    ["~/ckpt/", "ckpt/"],
    ["/data/x", "/data/x"],
    ["rel/x", "rel/x"],
  ];
  for (const [path, expected] of remote) {
    test(`remote path "${path}" maps to "${expected}"`, () => {
      assert.equal(remoteToolPath(path), expected);
    });
  }

  test("bucket endpoint is not a path", () => {
    assert.throws(
      () =>
        locate({
          kind: "storage",
          name: "r2",
          storage: { name: "r2", type: "r2", bucket: "ckpts" },
          path: "/x",
        }),
      /it is a bucket storage/,
    );
  });

  test("host of kind local stays local", () => {
    const location = locate({
      kind: "host",
      name: "here",
      host: { kind: "local", label: "here" },
      path: "./x/",
    });
    assert.equal(location.side.kind, "local");
    assert.equal(location.path, `${resolve("x")}/`);
  });
});

describe("landingPath", () => {
  const cases: [string, Parameters<typeof landingPath>[0], string][] = [
    [
      "dir without slash nests",
      {
        source: "/src/outputs",
        sourceKind: "dir",
        destination: "/w/outputs",
        sample: "a.txt",
      },
      "/w/outputs/outputs/a.txt",
    ],
    [
      "dir with slash merges",
      {
        source: "/src/outputs/",
        sourceKind: "dir",
        destination: "/w/outputs",
        sample: "a.txt",
      },
      "/w/outputs/a.txt",
    ],
    [
      "dir with slash, slashed destination",
      {
        source: "/src/outputs/",
        sourceKind: "dir",
        destination: "/w/outputs/",
        sample: "d/a.txt",
      },
      "/w/outputs/d/a.txt",
    ],
    [
      "file into slashed destination",
      { source: "/src/f.pt", sourceKind: "file", destination: "/w/ckpt/" },
      "/w/ckpt/f.pt",
    ],
    [
      "file renamed to destination",
      { source: "/src/f.pt", sourceKind: "file", destination: "/w/ckpt/g.pt" },
      "/w/ckpt/g.pt",
    ],
    [
      "file into existing directory",
      {
        source: "/src/f.pt",
        sourceKind: "file",
        destination: "/w/ckpt",
        destinationIsDir: true,
      },
      "/w/ckpt/f.pt",
    ],
    [
      "home contents into home",
      { source: ".", sourceKind: "dir", destination: "/w", sample: "x" },
      "/w/x",
    ],
  ];
  for (const [name, query, expected] of cases) {
    test(name, () => {
      assert.equal(landingPath(query), expected);
    });
  }
});
