// The Python cell a user runs in a Colab notebook. It installs and starts an
// OpenSSH server that accepts the user's public key (or a root password typed
// into the notebook). Then it opens a cloudflared or ngrok tunnel to port 22.
import type { Tunnel } from "./connections.ts";

const SSH_SERVER = `import os, pathlib, re, subprocess
subprocess.run("apt-get -qq update && apt-get -qq install -y openssh-server tmux rsync > /dev/null", shell=True, check=True)
pathlib.Path("/run/sshd").mkdir(exist_ok=True)`;

function keyLines(publicKey: string): string {
  return `ssh_dir = pathlib.Path("/root/.ssh")
ssh_dir.mkdir(mode=0o700, exist_ok=True)
(ssh_dir / "authorized_keys").write_text(${JSON.stringify(publicKey.trim() + "\n")})
os.chmod(ssh_dir / "authorized_keys", 0o600)`;
}

// The password is typed into the notebook, so it never passes through train.
const PASSWORD_LINES = `import getpass
subprocess.run(["chpasswd"], input="root:" + getpass.getpass("root password for SSH: "), text=True, check=True)
with open("/etc/ssh/sshd_config", "a") as config:
    config.write("\\nPermitRootLogin yes\\nPasswordAuthentication yes\\n")`;

const START_SSHD = `subprocess.run(["/usr/sbin/sshd"], check=True)`;

const CLOUDFLARED = `subprocess.run("curl -sSL -o /usr/local/bin/cloudflared https://github.com/cloudflare/cloudflared/releases/latest/download/cloudflared-linux-amd64 && chmod +x /usr/local/bin/cloudflared", shell=True, check=True)
tunnel = subprocess.Popen(["cloudflared", "tunnel", "--no-autoupdate", "--url", "ssh://localhost:22"], stderr=subprocess.PIPE, text=True)
for line in tunnel.stderr:
    found = re.search(r"https://([a-z0-9-]+\\.trycloudflare\\.com)", line)
    if found:
        print("cloudflared hostname:", found.group(1))
        break`;

const NGROK = `subprocess.run("pip install -q pyngrok", shell=True, check=True)
import getpass
from pyngrok import ngrok
ngrok.set_auth_token(getpass.getpass("ngrok authtoken: "))
address = ngrok.connect(22, "tcp").public_url.removeprefix("tcp://")
print("ngrok address (host:port):", address)`;

/**
 * Builds the cell text. With a public key the server accepts that key;
 * without one the cell asks for a root password in the notebook.
 */
export function notebookCell(
  tunnel: Tunnel,
  publicKey: string | undefined,
): string {
  return [
    SSH_SERVER,
    publicKey === undefined ? PASSWORD_LINES : keyLines(publicKey),
    START_SSHD,
    tunnel === "cloudflared" ? CLOUDFLARED : NGROK,
  ].join("\n");
}
