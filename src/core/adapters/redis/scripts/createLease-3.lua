--[[
  Writes a new lease as `provisioning` and counts it against its owner's quota and the host's
  limit of all leases together, atomically, so concurrent provisions can never exceed either. The
  expiry index holds every lease in any state, so its size is the count of leases on the host.
  The lease is due for cleanup once the provision timeout passes (by Redis's clock), unless
  activateLease moves it to its real expiry.

  KEYS[1] lease hash      KEYS[2] expiry sorted set      KEYS[3] owner set
  ARGV[1] lease id        ARGV[2] max leases per owner   ARGV[3] max leases in all
  ARGV[4] provision timeout (ms)
  ARGV[5..] field, value pairs of the lease hash
  Returns 1 when written; -2 the id exists; -3 the owner is at the quota; -8 the host is full.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return -2 end
if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[2]) then return -3 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return -8 end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
