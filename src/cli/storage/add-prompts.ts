// The questions of `train storage add` on a terminal.
import { askChoice, askText, requireTerminal } from "../../ui/prompt.ts";
import type { Storage, StorageType } from "../../storage/storage.ts";

const TYPES: { value: StorageType; label: string; hint?: string }[] = [
  { value: "r2", label: "Cloudflare R2" },
  {
    value: "s3",
    label: "Amazon S3 or S3-compatible",
    hint: "MinIO, Wasabi, Ceph, ...",
  },
  { value: "b2", label: "Backblaze B2" },
  { value: "gdrive", label: "Google Drive", hint: "through an rclone remote" },
  { value: "ssh", label: "A directory on an SSH host" },
  { value: "local", label: "A directory on this machine" },
];

const required = (what: string) => (answer: string) =>
  answer === "" ? `${what} is required` : undefined;
const optional = (value: string): string | undefined =>
  value === "" ? undefined : value;

/**
 * Asks for the storage's settings. `nameProblem` returns why a typed name
 * cannot be used, so the name is asked again before the other questions.
 */
export async function askPrompts(
  name: string | undefined,
  nameProblem: (name: string) => string | undefined,
): Promise<Storage> {
  requireTerminal(
    "train storage add without --type",
    "pass --type and the settings as flags, e.g. --type r2 --bucket B --account-id ID",
  );
  const storageName =
    name ??
    (await askText({
      message: "Storage name",
      check: (answer) => required("a name")(answer) ?? nameProblem(answer),
    }));
  const type = await askChoice("Type", TYPES);
  return askSettings(storageName, type);
}

async function askSettings(name: string, type: StorageType): Promise<Storage> {
  switch (type) {
    case "local":
      return {
        name,
        type,
        path: await askText({
          message: "Base path",
          check: required("a path"),
        }),
      };
    case "ssh":
      return {
        name,
        type,
        host: await askText({
          message: "Host (hosts.toml name, ssh alias or user@host)",
          check: required("a host"),
        }),
        path: await askText({
          message: "Base path on the host",
          defaultValue: "",
        }),
      };
    case "r2":
      return {
        name,
        type,
        accountId: optional(
          await askText({
            message: "Cloudflare account id (empty: read from secrets)",
            defaultValue: "",
          }),
        ),
        bucket: optional(
          await askText({
            message: "Bucket (empty: first path component)",
            defaultValue: "",
          }),
        ),
      };
    case "b2":
      return {
        name,
        type,
        bucket: optional(
          await askText({
            message: "Bucket (empty: first path component)",
            defaultValue: "",
          }),
        ),
      };
    case "s3":
      return {
        name,
        type,
        bucket: optional(
          await askText({
            message: "Bucket (empty: first path component)",
            defaultValue: "",
          }),
        ),
        region: await askText({ message: "Region", defaultValue: "us-east-1" }),
        endpoint: optional(
          await askText({
            message: "Endpoint URL for an S3-compatible service (empty: AWS)",
            defaultValue: "",
          }),
        ),
      };
    case "gdrive":
      return {
        name,
        type,
        remote: optional(
          await askText({
            message: "rclone remote name (empty: token from secrets)",
            defaultValue: "",
          }),
        ),
        folder: optional(
          await askText({
            message: "Folder inside the drive",
            defaultValue: "",
          }),
        ),
      };
  }
}
