// The OpenSSH transport: argv building, failure classification and the
// ControlMaster lifecycle, each in its own module.
export {
  controlDir,
  sshArgv,
  sshBaseOptions,
  sshCommandForRsync,
  type SshHost,
} from "./ssh-options.ts";
export {
  classifySshFailure,
  describeSshFailure,
  type SshFailureKind,
} from "./ssh-failure.ts";
export {
  ControlPathError,
  controlCommand,
  controlPathOf,
  ensureMaster,
  SshError,
  stopMaster,
  type MasterOptions,
} from "./ssh-master.ts";
