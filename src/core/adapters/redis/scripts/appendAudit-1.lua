--[[
  Records a change that no other script makes (a terminal opened or closed, a command run in a
  container), by Redis's clock and with the same retention as every other entry.

  KEYS[1] audit stream
  ARGV[1] retention (ms)   ARGV[2] actor   ARGV[3] action   ARGV[4] lease id   ARGV[5] owner
  ARGV[6] team             ARGV[7] image type              ARGV[8] params JSON  ARGV[9] outcome
  Returns 1.
]]
appendAudit(KEYS[1], ARGV[1], {
  actor = ARGV[2], action = ARGV[3], lease = ARGV[4], owner = ARGV[5], team = ARGV[6], image = ARGV[7],
  params = ARGV[8], outcome = ARGV[9],
})
return 1
