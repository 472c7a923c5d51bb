import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ProcessResult } from "../../src/remote/process.ts";
import type { Location } from "../../src/transfer/location.ts";
import { parseRsyncVersion, versionAtLeast } from "../../src/transfer/probe.ts";
import {
  parseItemized,
  parseProgressLine,
  parseStats,
} from "../../src/transfer/rsync-output.ts";
import {
  bracketIpv6,
  judgeRsyncResult,
  rsyncArgv,
  type RsyncJob,
} from "../../src/transfer/rsync.ts";

const gpu: Location = {
  side: {
    kind: "ssh",
    host: {
      kind: "ssh",
      label: "gpu",
      destination: "gpu-internal",
      sshOptions: ["-p", "2222"],
    },
  },
  path: "/data/run*1/",
  display: "@gpu:/data/run*1/",
};
const local: Location = {
  side: { kind: "local" },
  path: "/tmp/out",
  display: "./out",
};

function job(overrides: Partial<RsyncJob> = {}): RsyncJob {
  return {
    source: gpu,
    destination: local,
    delete: false,
    exclude: [],
    mkpath: true,
    progress: true,
    ...overrides,
  };
}

function result(
  exitCode: number | null,
  stderr: string,
  signal: NodeJS.Signals | null = null,
): ProcessResult {
  return {
    command: ["rsync"],
    host: "gpu",
    exitCode,
    signal,
    timedOut: false,
    durationMs: 5,
    stdout: "",
    stderr,
    failed: exitCode !== 0,
  };
}

describe("rsyncArgv", () => {
  test("uses alias and host options", () => {
    const argv = rsyncArgv(job(), "copy");
    assert.equal(argv.at(-2), "gpu-internal:/data/run\\*1/");
    const shell = argv[argv.indexOf("-e") + 1] ?? "";
    assert.match(shell, /^ssh .*-p 2222( |$)/);
    assert.match(shell, /ControlPath=/);
    assert.ok(!argv.join(" ").includes("/dev/null"), argv.join(" "));
  });

  test("keeps partials out of place", () => {
    const argv = rsyncArgv(job(), "copy");
    assert.ok(argv.includes("--partial-dir=.rsync-partial"));
    assert.ok(!argv.includes("--inplace"));
    assert.ok(!argv.includes("-u"));
    assert.ok(argv.includes("-s"));
  });

  test("passes delete, excludes and bwlimit", () => {
    const argv = rsyncArgv(
      job({ delete: true, exclude: ["*.tmp", "cache/"], bwlimitKBps: 500 }),
      "copy",
    );
    assert.ok(argv.includes("--delete"));
    assert.ok(argv.includes("--exclude=*.tmp"));
    assert.ok(argv.includes("--exclude=cache/"));
    assert.ok(argv.includes("--bwlimit=500"));
  });

  test("max-delete only on the copy", () => {
    const limited = job({ delete: true, maxDelete: 7 });
    assert.ok(rsyncArgv(limited, "copy").includes("--max-delete=7"));
    assert.ok(
      !rsyncArgv(limited, "dry-run").some((a) => a.startsWith("--max-delete")),
    );
  });

  test("dry run itemizes changes", () => {
    const argv = rsyncArgv(job(), "dry-run");
    assert.ok(argv.includes("--dry-run"));
    assert.ok(argv.includes("--itemize-changes"));
    assert.ok(!argv.includes("--info=progress2"));
  });

  test("local copy has no ssh", () => {
    const argv = rsyncArgv(
      job({ source: { ...local, path: "/tmp/a/" } }),
      "copy",
    );
    assert.ok(!argv.includes("-e"));
    assert.equal(argv.at(-2), "/tmp/a/");
  });

  test("brackets IPv6 destinations", () => {
    assert.equal(bracketIpv6("root@2001:db8::7"), "root@[2001:db8::7]");
    assert.equal(bracketIpv6("root@[::1]"), "root@[::1]");
    assert.equal(bracketIpv6("gpu"), "gpu");
  });
});

describe("rsync output", () => {
  test("parses progress2 line", () => {
    assert.deepEqual(
      parseProgressLine(
        "     21299200  70%   19.56MB/s    0:00:03  (xfr#1, to-chk=0/2)",
      ),
      {
        bytes: 21299200,
        percent: 70,
        rate: "19.56MB/s",
        eta: "0:00:03",
      },
    );
    assert.equal(parseProgressLine("sending incremental file list"), undefined);
  });

  test("parses stats block", () => {
    const stats = parseStats(
      [
        "Number of files: 9 (reg: 7, dir: 2)",
        "Number of deleted files: 1 (reg: 1)",
        "Number of regular files transferred: 3",
        "Total file size: 1300 bytes",
        "Total transferred file size: 13 bytes",
        "Total bytes sent: 277",
      ].join("\n"),
    );
    assert.deepEqual(stats, {
      regularFiles: 7,
      filesTransferred: 3,
      deletedFiles: 1,
      totalSize: 1300,
      transferredSize: 13,
      bytesSent: 277,
    });
  });

  test("parses itemized changes", () => {
    const changes = parseItemized(
      [
        "*deleting   old.txt",
        ".d..t...... ./",
        ">f+++++++++ sub dir/a b.txt",
        "cd+++++++++ sub dir/",
        "<f.st...... up.txt",
      ].join("\n"),
    );
    assert.deepEqual(changes, {
      files: ["sub dir/a b.txt", "up.txt"],
      deletions: ["old.txt"],
    });
  });

  test("parses rsync versions", () => {
    assert.deepEqual(
      parseRsyncVersion("rsync  version 3.5.0  protocol version 32"),
      [3, 5, 0],
    );
    assert.deepEqual(
      parseRsyncVersion(
        "openrsync: protocol version 29\nrsync version 2.6.9 compatible",
      ),
      [2, 6, 9],
    );
    assert.ok(versionAtLeast([3, 2, 3], [3, 2, 3]));
    assert.ok(!versionAtLeast([3, 1, 9], [3, 2, 3]));
  });
});

describe("judgeRsyncResult", () => {
  test("exit 25 names the delete limit", () => {
    const stderr =
      "Deletions stopped due to --max-delete limit (2 skipped)\nrsync error: the --max-delete limit stopped deletions (code 25)";
    const verdict = judgeRsyncResult(
      job({ delete: true, maxDelete: 1 }),
      result(25, stderr),
    );
    assert.equal(verdict.ok, false);
    assert.match(verdict.failure ?? "", /--max-delete limit of 1/);
    assert.match(verdict.failure ?? "", /2 skipped/);
  });

  test("exit 24 is a warning", () => {
    const verdict = judgeRsyncResult(job(), result(24, "file has vanished: x"));
    assert.equal(verdict.ok, true);
    assert.match(verdict.warning ?? "", /vanished/);
  });

  test("exit 23 lists failing paths", () => {
    const stderr =
      'rsync: [sender] send_files failed to open "/data/x/secret.pt": Permission denied (13)\nrsync error: some files/attrs were not transferred (code 23)';
    const verdict = judgeRsyncResult(job(), result(23, stderr));
    assert.equal(verdict.ok, false);
    assert.match(verdict.failure ?? "", /partial transfer/);
    assert.match(verdict.failure ?? "", /secret\.pt/);
  });

  test("exit 23 attribute-only is warning", () => {
    const stderr =
      'rsync: chown "/mnt/nfs/ckpt/.x.abc123" failed: Operation not permitted (1)\nrsync error: some files/attrs were not transferred (code 23)';
    const verdict = judgeRsyncResult(job(), result(23, stderr));
    assert.equal(verdict.ok, true);
    assert.match(verdict.warning ?? "", /attributes/);
  });

  test("exit 255 names the host", () => {
    const stderr =
      "ssh: connect to host 203.0.113.10 port 41234: Connection refused\nrsync: connection unexpectedly closed (0 bytes received so far) [Receiver]";
    const verdict = judgeRsyncResult(job(), result(255, stderr));
    assert.equal(verdict.ok, false);
    assert.match(verdict.failure ?? "", /Cannot reach @gpu/);
  });

  test("exit 12 is lost connection", () => {
    const verdict = judgeRsyncResult(
      job(),
      result(
        12,
        "rsync: connection unexpectedly closed (1234 bytes received so far)",
      ),
    );
    assert.match(verdict.failure ?? "", /connection to @gpu was lost/);
    assert.match(verdict.failure ?? "", /resumes/);
  });

  test("signal means interrupted", () => {
    const verdict = judgeRsyncResult(job(), result(null, "", "SIGTERM"));
    assert.match(verdict.failure ?? "", /interrupted/);
  });
});
