/** A mutant as the committed result names it. */
export interface NamedMutant {
  at: string;
  mutator: string;
  replacement: string;
}

/** One file's counts and named mutants in a folder's committed result. */
export interface FileResult {
  file: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  errors: number;
  equivalent: number;
  staticOnly: number;
  equivalentMutants: (NamedMutant & { reason: string })[];
  survivors: (NamedMutant & { status: 'Survived' | 'NoCoverage' })[];
}

/** A folder's last run as committed in docs/mutation/<folder>.json. */
export interface FolderResult {
  folder: string;
  finishedAt: string;
  seconds: number;
  files: FileResult[];
}

export function summarize(
  folder: string,
  report: unknown,
  run: { finishedAt: string; seconds: number },
): FolderResult;

export function writeMutationReport(
  path: string,
  results: FolderResult[],
  folders: Record<string, { break: number }>,
  unmarkable?: (NamedMutant & { reason: string })[],
): void;
