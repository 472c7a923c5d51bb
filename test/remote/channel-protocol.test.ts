import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ProtocolError,
  ResponseParser,
  type Response,
} from "../../src/remote/channel-protocol.ts";

const TOKEN = "0123456789abcdef";
const M = `@@TSH-${TOKEN}`;

function collect(): {
  parser: ResponseParser;
  ready: () => number;
  responses: Response[];
} {
  let readyCount = 0;
  const responses: Response[] = [];
  const parser = new ResponseParser(
    TOKEN,
    () => readyCount++,
    (response) => responses.push(response),
  );
  return { parser, ready: () => readyCount, responses };
}

test("parser skips junk before READY", () => {
  const { parser, ready, responses } = collect();
  parser.push(Buffer.from(`Welcome!\n${M} BEGIN 9\nfake\n`));
  assert.equal(ready(), 0);
  parser.push(Buffer.from(`${M} READY\n${M} BEGIN 1\nhi\n${M} END 1 0\n`));
  assert.equal(ready(), 1);
  assert.equal(responses.length, 1);
  assert.equal(responses[0]?.stdout.toString(), "hi");
});

test("parser splits stdout and stderr", () => {
  const { parser, responses } = collect();
  const frame = `${M} READY\n${M} BEGIN 4\nout\n\n${M} ERR 4\nerr\n\n${M} END 4 7\n`;
  parser.push(Buffer.from(frame));
  assert.deepEqual(
    responses.map((r) => [
      r.id,
      r.exitCode,
      r.stdout.toString(),
      r.stderr.toString(),
    ]),
    [[4, 7, "out\n", "err\n"]],
  );
});

test("parser accepts byte-by-byte input", () => {
  const { parser, responses } = collect();
  const frames = `junk${M} READY\n${M} BEGIN 1\n\n${M} END 1 0\nnoise${M} BEGIN 2\nabc\n${M} END 2 255\n`;
  for (const byte of Buffer.from(frames)) parser.push(Buffer.from([byte]));
  assert.equal(responses.length, 2);
  assert.equal(responses[0]?.stdout.length, 0);
  assert.equal(responses[1]?.stdout.toString(), "abc");
  assert.equal(responses[1]?.exitCode, 255);
});

test("parser keeps binary stdout intact", () => {
  const { parser, responses } = collect();
  const payload = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a, 0x40, 0x40]);
  parser.push(
    Buffer.concat([
      Buffer.from(`${M} READY\n${M} BEGIN 1\n`),
      payload,
      Buffer.from(`\n${M} END 1 0\n`),
    ]),
  );
  assert.deepEqual(responses[0]?.stdout, payload);
});

test("parser ignores markers with other tokens", () => {
  const { parser, responses } = collect();
  parser.push(
    Buffer.from(
      `${M} READY\n${M} BEGIN 1\nx\n@@TSH-ffff END 1 0\ny\n${M} END 1 0\n`,
    ),
  );
  assert.equal(responses[0]?.stdout.toString(), "x\n@@TSH-ffff END 1 0\ny");
});

test("parser rejects mismatched END id", () => {
  const { parser } = collect();
  assert.throws(
    () =>
      parser.push(Buffer.from(`${M} READY\n${M} BEGIN 1\nx\n${M} END 2 0\n`)),
    ProtocolError,
  );
});
