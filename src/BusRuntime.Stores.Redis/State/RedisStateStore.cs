using System.Globalization;
using BusRuntime.Core.State;
using StackExchange.Redis;

namespace BusRuntime.Stores.Redis.State;

/// <summary>
/// State in Redis: an entry is a hash (fields data, version and, with a TTL, expiresAt in Unix milliseconds)
/// under "{keyspace}||{storage key}", where the keyspace is the component's name, so two components on one
/// database keep their entries apart. A TTL is Redis's own expiry (PEXPIREAT), so Redis hides and removes
/// expired entries itself on its clock. A batch of writes is one Lua script, which Redis runs alone: it checks
/// every precondition against the entries as the earlier writes leave them and only then applies them all.
/// Etags come from the counter "{keyspace}|etag", so one is never reused, not even after a delete.
/// </summary>
internal sealed class RedisStateStore(RedisDatabase database, string name, string keyspace) : IStateStore
{
    private const string Data = "data";
    private const string Version = "version";
    private const string ExpiresAt = "expiresAt";

    /// <summary>The values ARGV holds for each write: kind, precondition, etag, expiry, seconds, value.</summary>
    private const int ArgumentsPerWrite = 6;

    // KEYS[1] is the etag counter, KEYS[i + 1] the entry of write i. The first pass reads each entry's version
    // once (a key of another type fails the script here, before anything is written) and stages what the
    // batch does to it; the second applies. Replies {1, etag or 0 per write}, or {0, index} when a
    // precondition does not hold.
    private const string ApplyScript = """
        local staged = {}
        local etag = tonumber(redis.call('GET', KEYS[1]) or '0')
        local etags = {}
        local count = #KEYS - 1
        for i = 1, count do
          local key = KEYS[i + 1]
          local base = (i - 1) * 6
          local current = staged[key]
          if current == nil then
            current = redis.call('HGET', key, 'version') or false
          end
          local precondition = ARGV[base + 2]
          if (precondition == 'x' and current) or (precondition == 'm' and current ~= ARGV[base + 3]) then
            return {0, i - 1}
          end
          if ARGV[base + 1] == 'd' then
            staged[key] = false
            etags[i] = 0
          else
            etag = etag + 1
            staged[key] = string.format('%d', etag)
            etags[i] = etag
          end
        end
        local now = nil
        for i = 1, count do
          local key = KEYS[i + 1]
          local base = (i - 1) * 6
          if ARGV[base + 1] == 'd' then
            redis.call('DEL', key)
          else
            redis.call('HSET', key, 'data', ARGV[base + 6], 'version', string.format('%d', etags[i]))
            local expiry = ARGV[base + 4]
            if expiry == 'n' then
              redis.call('PERSIST', key)
              redis.call('HDEL', key, 'expiresAt')
            elseif expiry == 'a' then
              if now == nil then
                local time = redis.call('TIME')
                now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
              end
              local at = now + tonumber(ARGV[base + 5]) * 1000
              redis.call('PEXPIREAT', key, at)
              redis.call('HSET', key, 'expiresAt', string.format('%d', at))
            end
          end
        end
        redis.call('SET', KEYS[1], string.format('%d', etag))
        local reply = {1}
        for i = 1, count do
          reply[i + 1] = etags[i]
        end
        return reply
        """;

    private static readonly RedisValue[] Fields = [Data, Version, ExpiresAt];

    private readonly string component = $"the state store '{name}'";
    private readonly RedisKey counter = $"{keyspace}|etag";

    public async Task<IReadOnlyDictionary<string, StoredState>> GetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return new Dictionary<string, StoredState>(StringComparer.Ordinal);
        }

        return await database.RunAsync(
            component,
            async redis =>
            {
                // The reads go out together on the one connection: one round trip for the whole bulk get.
                var distinct = keys.Distinct(StringComparer.Ordinal).ToArray();
                var reads = distinct.Select(key => redis.HashGetAsync(EntryKey(key), Fields)).ToArray();
                var values = await Task.WhenAll(reads).ConfigureAwait(false);
                var found = new Dictionary<string, StoredState>(StringComparer.Ordinal);
                for (var index = 0; index < distinct.Length; index++)
                {
                    if (Read(values[index]) is { } entry)
                    {
                        found[distinct[index]] = entry;
                    }
                }

                return (IReadOnlyDictionary<string, StoredState>)found;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<long?>> ApplyAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return [];
        }

        var keys = new RedisKey[writes.Count + 1];
        var arguments = new RedisValue[writes.Count * ArgumentsPerWrite];
        keys[0] = counter;
        for (var index = 0; index < writes.Count; index++)
        {
            var write = writes[index];
            keys[index + 1] = EntryKey(write.Key);
            var at = index * ArgumentsPerWrite;
            arguments[at] = write.IsDelete ? "d" : "u";
            arguments[at + 1] = write.Precondition.Kind switch
            {
                StatePreconditionKind.MustNotExist => "x",
                StatePreconditionKind.MustMatch => "m",
                _ => "n",
            };
            arguments[at + 2] = write.Precondition.ETag.ToString(CultureInfo.InvariantCulture);
            arguments[at + 3] = write.Expiry.Kind switch
            {
                StateExpiryKind.Never => "n",
                StateExpiryKind.After => "a",
                _ => "k",
            };
            arguments[at + 4] = write.Expiry.Seconds;
            arguments[at + 5] = write.Value;
        }

        var reply = await database.RunAsync(component, redis => redis.ScriptEvaluateAsync(ApplyScript, keys, arguments), cancellationToken).ConfigureAwait(false);
        var results = (RedisResult[])reply!;
        if ((long)results[0] == 0)
        {
            throw new ETagMismatchException((int)(long)results[1]);
        }

        var etags = new long?[writes.Count];
        for (var index = 0; index < writes.Count; index++)
        {
            var etag = (long)results[index + 1];
            etags[index] = etag == 0 ? null : etag;
        }

        return etags;
    }

    /// <summary>Redis deletes expired entries itself (on access and in its own background sweep): nothing is left to delete here.</summary>
    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) => Task.FromResult(0);

    public Task CheckHealthAsync(CancellationToken cancellationToken) => database.CheckHealthAsync(component, cancellationToken);

    private RedisKey EntryKey(string key) => $"{keyspace}||{key}";

    private static StoredState? Read(RedisValue[] fields)
    {
        if (fields[0].IsNull || fields[1].IsNull)
        {
            return null;
        }

        DateTimeOffset? expiresAt = fields[2].IsNull ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)fields[2]);
        return new StoredState((byte[])fields[0]!, (long)fields[1], expiresAt);
    }
}
