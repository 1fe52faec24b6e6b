--[[
  Writes a new lease as `provisioning` and counts it against its owner's quota, its team's quota
  (TEAM_QUOTAS) and the host's limit of all leases together, atomically, so concurrent provisions
  can never exceed any of them. The expiry index holds every lease in any state, so its size is
  the count of leases on the host. The lease is due for cleanup once the provision timeout passes
  (by Redis's clock), unless activateLease moves it to its real expiry. The request is recorded in
  the audit trail, a refusal by a quota too (admins size quotas by who hits them).

  KEYS[1] lease hash      KEYS[2] expiry sorted set      KEYS[3] owner set
  KEYS[4] team set        KEYS[5] audit stream
  ARGV[1] lease id        ARGV[2] max leases per owner   ARGV[3] max leases in all
  ARGV[4] provision timeout (ms)    ARGV[5] max leases of the team (0: no limit)
  ARGV[6] audit retention (ms)
  ARGV[7..] field, value pairs of the lease hash
  Returns 1 when written; -2 the id exists; -3 the owner is at the quota; -10 the team is at its
  quota; -8 the host is full.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return -2 end
local lease = {}
for index = 7, #ARGV, 2 do lease[ARGV[index]] = ARGV[index + 1] end
local function record(outcome)
  appendAudit(KEYS[5], ARGV[6], {
    actor = lease.owner, action = 'provision', lease = ARGV[1], owner = lease.owner, team = lease.team,
    image = lease.imageType, outcome = outcome,
    params = { minutes = math.floor((tonumber(lease.expiresAt) - tonumber(lease.createdAt)) / 60000) },
  })
end
if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[2]) then record('refused: owner quota'); return -3 end
local teamMax = tonumber(ARGV[5])
if teamMax > 0 and redis.call('SCARD', KEYS[4]) >= teamMax then record('refused: team quota'); return -10 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then record('refused: host full'); return -8 end
-- Recorded first: Redis does not undo a script's writes when a later command fails, and the
-- writes below cannot fail once the stream has taken the entry.
record('provisioning')
redis.call('HSET', KEYS[1], unpack(ARGV, 7))
redis.call('ZADD', KEYS[2], serverNow() + tonumber(ARGV[4]), ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
return 1
