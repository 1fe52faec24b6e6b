import { describe, expect, it } from 'vitest';
import { interactiveProgram } from '../../../../src/core/domain/interactive-programs.js';

describe('interactive programs, which need a terminal', () => {
  it.each([
    ['vim /etc/hosts', 'vim'],
    ['ps aux | less', 'less'],
    ['TERM=xterm sudo top', 'top'],
    ['/usr/bin/htop', 'htop'],
    ['cd /tmp && nano notes', 'nano'],
    ['python3', 'python3'],
    ['bash', 'bash'],
    ['watch -n1 date', 'watch'],
  ])('GIVEN %j THEN %s', (command, program) => {
    expect(interactiveProgram(command)).toBe(program);
  });

  it.each([
    'echo vim',
    'python3 -c "print(1)"',
    'bash -c ls',
    'ls -la',
    'cat /etc/os-release',
    'grep top file',
  ])('GIVEN %j THEN none', (command) => {
    expect(interactiveProgram(command)).toBeUndefined();
  });
});
