--[[
  Prepended to every script (scripts.ts): the audit trail is written in the same script as the
  change it records, so no change goes unrecorded and no entry describes one that did not happen.
]]

-- Epoch milliseconds by Redis's clock.
local function serverNow()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

--[[
  Appends one entry to the audit stream; its id is Redis's time. Entries older than the retention
  are trimmed in the same call (MINID ~: whole stream nodes, so a few older entries may linger).
  entry: actor, action, lease, owner, team, image, params (a table, or JSON text), outcome.
]]
local function appendAudit(stream, retentionMs, entry)
  local params = entry.params or {}
  if type(params) == 'table' then params = next(params) and cjson.encode(params) or '{}' end
  redis.call('XADD', stream, 'MINID', '~', string.format('%d', serverNow() - tonumber(retentionMs)), '*',
    'actor', entry.actor, 'platform', string.match(entry.actor, '^[^:]+'), 'action', entry.action,
    'lease', entry.lease, 'owner', entry.owner or '', 'team', entry.team or '', 'image', entry.image or '',
    'params', params, 'outcome', entry.outcome)
end
