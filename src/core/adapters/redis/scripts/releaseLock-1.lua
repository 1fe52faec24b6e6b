--[[
  Releases a lock only if this holder still owns it, so a holder whose lock expired cannot free
  the lock another instance has taken since.

  KEYS[1] lock key        ARGV[1] holder token
  Returns 1 released; 0 not held by this token.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
