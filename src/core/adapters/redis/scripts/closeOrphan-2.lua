--[[
  Closes the lease of an orphan container the reconciler removed at its labelled expiry: marks
  the lease ended (a tombstone, as deleteLease writes) and queues its owner's notice, once. Refused
  when the record exists, or when the lease ended recently: then whoever ended it (its owner's
  stop, a cleanup run) has told the owner what there was to tell.

  KEYS[1] lease hash      KEYS[2] notifications stream
  ARGV[1] key base        ARGV[2] lease id               ARGV[3] tombstone lifetime (ms)
  ARGV[4] notice JSON
  Returns 1 closed and the notice queued; 0 the lease exists; -9 the lease ended recently.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local ended = ARGV[1] .. 'ended:' .. ARGV[2]
if redis.call('EXISTS', ended) == 1 then return -9 end
redis.call('SET', ended, '1', 'PX', tonumber(ARGV[3]))
redis.call('XADD', KEYS[2], '*', 'notice', ARGV[4])
return 1
