// The interactive `train host add`: one question per field, each answer
// checked and asked again until it is valid.
import { readSettings } from "../../config/settings.ts";
import { buildHostEntry, type HostEntry } from "../../hosts/hosts-file.ts";
import {
  checkAddress,
  checkHostName,
  checkJump,
  checkKeyPath,
  checkPort,
  checkUser,
  parsePort,
} from "../../hosts/validate.ts";
import { askChoice, askText } from "../../ui/prompt.ts";

type Kind = "ssh" | "cloudflared" | "ngrok";

export async function askHostEntry(
  name: string | undefined,
  nameTaken: (name: string) => boolean,
): Promise<HostEntry> {
  const hostName =
    name ??
    (await askText({
      message: "Host name (used as @NAME in recipes)",
      check: (answer) =>
        checkHostName(answer) ??
        (nameTaken(answer)
          ? `host "${answer}" already exists; pick another name or rerun with --force`
          : undefined),
    }));
  const kind = await askChoice<Kind>("Type", [
    { value: "ssh", label: "SSH", hint: "a server or rented GPU machine" },
    { value: "cloudflared", label: "Google Colab via cloudflared" },
    { value: "ngrok", label: "Google Colab via ngrok" },
  ]);
  return kind === "ssh" ? askSsh(hostName) : askColab(hostName, kind);
}

async function askSsh(name: string): Promise<HostEntry> {
  const hostname = await askText({
    message: "Address (hostname or IP)",
    placeholder: "203.0.113.7",
    check: checkAddress,
  });
  const port = await askText({
    message: "SSH port",
    defaultValue: "22",
    check: checkPort,
  });
  const username = await askText({
    message: "User",
    defaultValue: "root",
    check: checkUser,
  });
  const auth = await askChoice("Authentication", [
    { value: "key", label: "Key file" },
    { value: "agent", label: "SSH agent or ~/.ssh/config" },
    { value: "password", label: "Password (asked by ssh when connecting)" },
  ]);
  const keyPath = auth === "key" ? await askKeyPath() : undefined;
  const jump = await askText({
    message: "Jump host (empty for none)",
    placeholder: "none",
    defaultValue: "",
    check: checkJump,
  });
  return buildHostEntry({
    name,
    type: "ssh",
    hostname,
    port: parsePort(port),
    username,
    auth_method: auth,
    ssh_key_path: keyPath,
    jump_host: jump === "" ? undefined : jump,
  });
}

function askKeyPath(): Promise<string> {
  return askText({
    message: "Private key file",
    defaultValue: readSettings().defaults.ssh_key_path,
    check: checkKeyPath,
  });
}

async function askColab(
  name: string,
  tunnel: "cloudflared" | "ngrok",
): Promise<HostEntry> {
  const example =
    tunnel === "cloudflared" ? "xxx.trycloudflare.com" : "0.tcp.ngrok.io";
  const hostname = await askText({
    message: `${tunnel} hostname printed by the notebook`,
    placeholder: example,
    check: checkAddress,
  });
  const port =
    tunnel === "ngrok"
      ? await askText({ message: "ngrok port", check: checkPort })
      : "22";
  return buildHostEntry({
    name,
    type: "colab",
    tunnel,
    hostname,
    port: parsePort(port),
    username: "root",
    auth_method: "password",
  });
}
