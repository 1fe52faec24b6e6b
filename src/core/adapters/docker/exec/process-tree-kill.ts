/**
 * The environment variable every process started through DockerExec carries, with a value of its
 * own; its children inherit it, also those that leave the session (`setsid`, `nohup … &`).
 */
export const PROCESS_MARK = 'CONTAINERLEASE_PROCESS';

/**
 * A POSIX sh script, run as a second exec, that ends a process and everything it started: every
 * process of its session (`$1`, the PID it reported, which leads a session of its own) and every
 * process whose environment carries the mark (`$2`, `CONTAINERLEASE_PROCESS=<value>`), with SIGKILL.
 * It looks again until a pass finds nothing, so a loop that forks while being killed goes too. It
 * reads /proc only, with sh, tr and grep: busybox, Debian, Ubuntu and Alpine all have them.
 */
const SCRIPT = `
sid=$1 mark=$2 me=$$
for round in 1 2 3 4 5 6 7 8; do
  found=
  for dir in /proc/[0-9]*; do
    pid=\${dir#/proc/}
    [ "$pid" = "$me" ] && continue
    hit=
    if [ -n "$sid" ] && read -r stat 2>/dev/null <"$dir/stat"; then
      set -- \${stat##*") "}
      [ "$4" = "$sid" ] && hit=1
    fi
    if [ -z "$hit" ] && tr '\\0' '\\n' 2>/dev/null <"$dir/environ" | grep -qx "$mark"; then hit=1; fi
    [ -n "$hit" ] && kill -KILL "$pid" 2>/dev/null && found=1
  done
  [ -z "$found" ] && exit 0
done
`;

/** The argv of the second exec that kills the process `pid` (when known) and everything marked `mark`. */
export function killTreeArgv(pid: number | undefined, mark: string): string[] {
  return [
    'sh',
    '-c',
    SCRIPT,
    'containerlease-kill',
    pid === undefined ? '' : String(pid),
    `${PROCESS_MARK}=${mark}`,
  ];
}
