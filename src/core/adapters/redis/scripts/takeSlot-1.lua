--[[
  Takes one of at most N places in a set whose places expire, judged by Redis's clock, so every
  instance agrees how many are taken. A holder that already has a place renews it. The key itself
  expires with its last place.

  KEYS[1] sorted set: holder scored by the epoch ms its place expires
  ARGV[1] holder   ARGV[2] max places   ARGV[3] lifetime of the place (ms)
  Returns the places taken now (1 or more), or -1 when all N are taken by others.
]]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not held and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
return redis.call('ZCARD', KEYS[1])
