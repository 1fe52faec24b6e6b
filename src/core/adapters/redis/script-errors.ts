import {
  type CodedError,
  ConflictError,
  LimitExceededError,
  NotFoundError,
  QuotaExceededError,
  TeamQuotaExceededError,
} from '../../errors.js';
import type { CreateLimits } from '../../ports/lease-store.js';

/** Negative replies of the Lua scripts: expected failures, each with one meaning everywhere. */
export const SCRIPT_CODES = {
  notFound: -1,
  exists: -2,
  quota: -3,
  notActive: -4,
  pastHardCap: -6,
  claimLost: -7,
  hostFull: -8,
  endedRecently: -9,
  teamQuota: -10,
} as const;

interface Context {
  readonly id: string;
  readonly limits?: CreateLimits;
  readonly team?: string;
}

/** The one mapping from a script's reply code to the error every caller sees. */
export function scriptError(code: number, context: Context): CodedError {
  switch (code) {
    case SCRIPT_CODES.notFound:
      return new NotFoundError(`There is no lease ${context.id}.`);
    case SCRIPT_CODES.exists:
      return new ConflictError(`A lease with id ${context.id} already exists.`);
    case SCRIPT_CODES.quota:
      return new QuotaExceededError(
        `You already hold ${context.limits?.maxPerUser ?? 'the maximum number of'} leases; stop one before provisioning another.`,
      );
    case SCRIPT_CODES.teamQuota:
      return new TeamQuotaExceededError(
        `Your team (${context.team ?? 'this team'}) already holds ${context.limits?.maxPerTeam ?? 'the maximum number of'} leases, its limit (TEAM_QUOTAS); try again when one of them ends.`,
      );
    case SCRIPT_CODES.hostFull:
      return new QuotaExceededError(
        `This ContainerLease already runs ${context.limits?.maxActive ?? 'as many'} leases, its limit for all users together (LEASE_MAX_ACTIVE); try again when one ends.`,
      );
    case SCRIPT_CODES.notActive:
      return new ConflictError(`Lease ${context.id} is no longer active: its cleanup has begun.`);
    case SCRIPT_CODES.pastHardCap:
      return new LimitExceededError(`Lease ${context.id} cannot be extended past its hard cap.`);
    default:
      return new ConflictError(`Lease ${context.id} changed meanwhile (code ${code}); try again.`);
  }
}
