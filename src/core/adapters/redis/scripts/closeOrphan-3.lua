--[[
  Closes the lease of an orphan container the reconciler removed at its labelled expiry: marks
  the lease ended (a tombstone, as deleteLease writes), queues its owner's notice and records the
  removal, once. Refused when the record exists, or when the lease ended recently: then whoever
  ended it (its owner's stop, a cleanup run) has told the owner and recorded it.

  KEYS[1] lease hash      KEYS[2] notifications stream   KEYS[3] audit stream
  ARGV[1] key base        ARGV[2] lease id               ARGV[3] tombstone lifetime (ms)
  ARGV[4] notice JSON     ARGV[5] audit retention (ms)   ARGV[6] the lease's team
  ARGV[7] the lease's creation (epoch ms, from its labels)
  Returns 1 closed and the notice queued; 0 the lease exists; -9 the lease ended recently.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local ended = ARGV[1] .. 'ended:' .. ARGV[2]
if redis.call('EXISTS', ended) == 1 then return -9 end
redis.call('SET', ended, '1', 'PX', tonumber(ARGV[3]))
redis.call('XADD', KEYS[2], '*', 'notice', ARGV[4])
local notice = cjson.decode(ARGV[4])
appendAudit(KEYS[3], ARGV[5], {
  actor = 'system', action = 'expire', lease = ARGV[2], owner = notice.owner, team = ARGV[6],
  image = notice.imageType, outcome = 'removed',
  params = {
    containerId = notice.containerId, reconciled = true,
    seconds = math.max((serverNow() - tonumber(ARGV[7])) / 1000, 0),
  },
})
return 1
