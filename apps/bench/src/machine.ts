/** What the report says about the machine a run used. */
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

export type Machine = ReturnType<typeof machine>;
export function machine() {
  return {
    /** On Linux, the `model name` of /proc/cpuinfo. */
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    os: `${process.platform} ${release()}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    /** 1-minute load average when the part started (an idle machine shows ≈ 0). */
    load: loadavg()[0] ?? 0,
  };
}
