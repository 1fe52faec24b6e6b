/**
 * The `block_id` of an actions block says whether its message is about one lease. A button reply
 * may replace a message about one lease (the warning DM, a provision result), but not a list,
 * whose other leases would vanish with it. Slack echoes `block_id` in every click, ephemeral or not.
 */
const ONE_LEASE = 'lease:';
const MANY_LEASES = 'list:';

export function actionsBlockId(subject: string, oneLease: boolean): string {
  return `${oneLease ? ONE_LEASE : MANY_LEASES}${subject}`.slice(0, 255);
}

export function isAboutOneLease(blockId: string | undefined): boolean {
  return blockId?.startsWith(ONE_LEASE) ?? false;
}
