import type { Logger } from '../../src/core/ports/logger.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One line as the code under test logged it. */
export interface LoggedLine {
  readonly level: LogLevel;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly message: string | undefined;
}

/** A logger that keeps every line, so a test can assert what was logged, and how many times. */
export class RecordingLogger implements Logger {
  readonly lines: LoggedLine[] = [];
  readonly debug = this.at('debug');
  readonly info = this.at('info');
  readonly warn = this.at('warn');
  readonly error = this.at('error');

  /** The lines whose fields include every one of `fields`. */
  where(fields: Readonly<Record<string, unknown>>): LoggedLine[] {
    return this.lines.filter((line) =>
      Object.entries(fields).every(([key, value]) => line.fields[key] === value),
    );
  }

  /** Warnings as "message {fields}", to read in a failed assertion. */
  get warnings(): string[] {
    return this.texts('warn');
  }

  /** Errors as "message {fields}". */
  get errors(): string[] {
    return this.texts('error');
  }

  private texts(level: LogLevel): string[] {
    return this.lines
      .filter((line) => line.level === level)
      .map((line) => `${line.message ?? ''} ${JSON.stringify(line.fields)}`.trim());
  }

  private at(level: LogLevel) {
    return (fields: object, message?: string): void => {
      this.lines.push({ level, fields: fields as Record<string, unknown>, message });
    };
  }
}
