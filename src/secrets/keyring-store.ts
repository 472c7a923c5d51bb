// The OS keyring through @napi-rs/keyring: macOS Keychain, Windows
// Credential Manager, and on Linux the Secret Service (GNOME Keyring,
// KWallet). Linux's other store, the kernel keyring, is not used because it
// lives in kernel memory and loses every value at reboot.
import { createRequire } from "node:module";

const SERVICE = "tmux-trainsh";
const PROBE_ACCOUNT = "__trainsh_probe__";

type KeyringModule = typeof import("@napi-rs/keyring");
type EntryOptions = ConstructorParameters<KeyringModule["Entry"]>[2];

const ENTRY_OPTIONS: EntryOptions =
  process.platform === "linux" ? { linux: { store: "secret-service" } } : {};

export class KeyringSecretStore {
  readonly kind = "keyring";

  private constructor(private readonly keyring: KeyringModule) {}

  /**
   * Opens the keyring when a read from it succeeds, else returns why not (no
   * binding for this platform, no D-Bus session, no Secret Service).
   */
  static open(): KeyringSecretStore | { problem: string } {
    let keyring: KeyringModule;
    try {
      keyring = createRequire(import.meta.url)("@napi-rs/keyring");
    } catch (error) {
      return {
        problem: `the keyring binding did not load: ${firstLine(error)}`,
      };
    }
    try {
      new keyring.Entry(SERVICE, PROBE_ACCOUNT, ENTRY_OPTIONS).getPassword();
    } catch (error) {
      return { problem: firstLine(error) };
    }
    return new KeyringSecretStore(keyring);
  }

  private entry(name: string) {
    return new this.keyring.Entry(SERVICE, name, ENTRY_OPTIONS);
  }

  get(name: string): string | undefined {
    return this.entry(name).getPassword() ?? undefined;
  }

  set(name: string, value: string): void {
    this.entry(name).setPassword(value);
  }

  delete(name: string): boolean {
    return this.entry(name).deletePassword();
  }

  names(): string[] {
    return this.keyring
      .findCredentials(SERVICE)
      .map((credential) => credential.account)
      .filter((account) => account !== PROBE_ACCOUNT);
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
