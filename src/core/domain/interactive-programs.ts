/**
 * Programs that draw a full screen or wait for keys (editors, pagers, monitors, multiplexers,
 * remote shells): without a terminal they hang until the timeout or print nonsense.
 */
const FULL_SCREEN = new Set([
  'vi',
  'vim',
  'nvim',
  'view',
  'nano',
  'pico',
  'emacs',
  'micro',
  'joe',
  'mcedit',
  'less',
  'more',
  'most',
  'man',
  'info',
  'top',
  'htop',
  'btop',
  'atop',
  'iotop',
  'iftop',
  'nethogs',
  'watch',
  'tmux',
  'screen',
  'mc',
  'ranger',
  'nnn',
  'ssh',
  'telnet',
]);

/** Shells and interpreters, interactive when started alone (with arguments they run a script). */
const ALONE = new Set([
  'sh',
  'bash',
  'zsh',
  'ash',
  'dash',
  'fish',
  'ksh',
  'python',
  'python3',
  'node',
  'irb',
  'psql',
  'mysql',
  'redis-cli',
  'sqlite3',
  'mongosh',
]);

/** Words that run the next word as the program. */
const PREFIXES = new Set(['sudo', 'env', 'exec', 'nohup', 'time', 'command', 'nice']);

/**
 * The interactive program a shell command would start, if any: the first word of each of its
 * pipelines and lists (`ps aux | less` starts less), past variable assignments and prefixes
 * such as `sudo`, by its file name. Quoting is not parsed: `echo "a | vim"` is a false alarm,
 * which only costs a pointer to the terminal.
 */
export function interactiveProgram(command: string): string | undefined {
  for (const segment of command.split(/\|\|?|&&?|;|\n/)) {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    while (words[0] !== undefined && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]) || PREFIXES.has(words[0]))) {
      words.shift();
    }
    const program = words[0]?.split('/').pop();
    if (program === undefined) continue;
    if (FULL_SCREEN.has(program) || (ALONE.has(program) && words.length === 1)) return program;
  }
  return undefined;
}
