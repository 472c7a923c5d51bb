import type { Command } from "commander";
import { registerCheck } from "./check.ts";
import { registerEdit } from "./edit.ts";
import { registerJobs } from "./jobs.ts";
import { registerList } from "./list.ts";
import { registerLogs } from "./logs.ts";
import { registerNew } from "./new.ts";
import { registerResume } from "./resume.ts";
import { registerRun } from "./run.ts";
import { registerShow } from "./show.ts";
import { registerStatus } from "./status.ts";

export function registerRecipe(program: Command): void {
  const group = program.command("recipe").description("Write, check and run recipes; follow their jobs");
  for (const register of [registerList, registerShow, registerCheck, registerRun, registerNew, registerEdit, registerLogs, registerStatus, registerResume, registerJobs]) {
    register(group);
  }
}
