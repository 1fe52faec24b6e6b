--[[
  Writes a new lease and claims a warm pool member for it, together. The lease is written by
  createLease itself (scripts.ts runs its source here as the local function `createLease`, with
  the keys and arguments that follow this script's own), so the quotas are checked by the same
  lines whether or not the pool has a member. Then, when a member of the image type is still
  claimable by Redis's clock, it leaves the pool for good and the lease records its container.

  KEYS[1] the image type's pool (sorted set: container id scored by when it stops being claimable)
  KEYS[2] claimed members (hash: container id → lease id; the pool keeper forgets removed ones)
  KEYS[3..] createLease's keys    ARGV createLease's arguments (ARGV[1] the lease id)
  Returns createLease's refusal (negative), and then nothing changed; else the claimed container
  id, or '' when no member was ready (the lease is written, provisioning, without a container).
]]
local pool = table.remove(KEYS, 1)
local claimed = table.remove(KEYS, 1)
local written = createLease()
if written ~= 1 then return written end
local member = redis.call('ZRANGEBYSCORE', pool, '(' .. serverNow(), '+inf', 'LIMIT', 0, 1)[1]
if not member then return '' end
redis.call('ZREM', pool, member)
redis.call('HSET', claimed, member, ARGV[1])
redis.call('HSET', KEYS[1], 'containerId', member)
return member
