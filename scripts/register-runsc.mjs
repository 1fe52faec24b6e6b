#!/usr/bin/env node
// Adds gVisor's runsc to Docker's daemon.json, keeping whatever else an operator put there.
// Exits 0 when the file changed (the engine must reload it), 1 when runsc was already registered.
// ptrace works without KVM, and gVisor's own network stack is replaced by the host's netns so
// Docker's bridge networks and their iptables rules apply as they do for runc.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const [file = '/etc/docker/daemon.json', runsc = '/usr/bin/runsc'] = process.argv.slice(2);
let config = {};
try {
  config = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  if (error.code !== 'ENOENT') {
    console.error(`${file} is not valid JSON (${error.message}); leaving it alone, runsc is not registered.`);
    process.exit(1);
  }
}
if (config.runtimes?.runsc) process.exit(1);
config.runtimes = {
  ...config.runtimes,
  runsc: { path: runsc, runtimeArgs: ['--platform=ptrace', '--network=host'] },
};
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
