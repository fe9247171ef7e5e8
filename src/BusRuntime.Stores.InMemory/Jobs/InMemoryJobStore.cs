using BusRuntime.Core.Jobs;

namespace BusRuntime.Stores.InMemory.Jobs;

/// <summary>Jobs in this process's memory, for the embedded default: one sidecar, so a claim only keeps overlapping loops apart.</summary>
public sealed class InMemoryJobStore : IJobStore
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<(string AppId, string Name), (StoredJob Job, DateTimeOffset LeasedUntil)> jobs = new(KeyComparer.Instance);

    public Task<JobPutResult> PutAsync(StoredJob job, bool overwrite, int maxJobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (gate)
        {
            var key = (job.AppId, job.Job.Name);
            if (jobs.ContainsKey(key))
            {
                if (!overwrite)
                {
                    return Task.FromResult(JobPutResult.AlreadyExists);
                }
            }
            else if (jobs.Keys.Count(existing => existing.AppId == job.AppId) >= maxJobs)
            {
                return Task.FromResult(JobPutResult.TooMany);
            }

            jobs[key] = (job, DateTimeOffset.MinValue);
            return Task.FromResult(JobPutResult.Stored);
        }
    }

    public Task<StoredJob?> GetAsync(string appId, string name, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(jobs.TryGetValue((appId, name), out var entry) ? entry.Job : null);
        }
    }

    public Task<bool> DeleteAsync(string appId, string name, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult(jobs.Remove((appId, name)));
        }
    }

    public Task<int> DeleteByPrefixAsync(string appId, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (gate)
        {
            var doomed = jobs.Keys.Where(key => key.AppId == appId && key.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            doomed.ForEach(key => jobs.Remove(key));
            return Task.FromResult(doomed.Count);
        }
    }

    public Task<IReadOnlyList<StoredJob>> ListAsync(string appId, int max, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<StoredJob>>([.. jobs.Where(entry => entry.Key.AppId == appId).Take(max).Select(entry => entry.Value.Job)]);
        }
    }

    public Task<IReadOnlyList<StoredJob>> ClaimDueAsync(string appId, DateTimeOffset now, TimeSpan lease, int max, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var due = jobs
                .Where(entry => entry.Key.AppId == appId && entry.Value.Job.DueAt <= now && entry.Value.LeasedUntil <= now)
                .OrderBy(entry => entry.Value.Job.DueAt)
                .Take(max)
                .Select(entry => entry.Value.Job)
                .ToList();
            foreach (var job in due)
            {
                jobs[(job.AppId, job.Job.Name)] = (job, now + lease);
            }

            return Task.FromResult<IReadOnlyList<StoredJob>>(due);
        }
    }

    public Task ReleaseAsync(StoredJob claimed, StoredJob? next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        lock (gate)
        {
            var key = (claimed.AppId, claimed.Job.Name);
            if (jobs.TryGetValue(key, out var current) && current.Job.Version == claimed.Version)
            {
                if (next is null)
                {
                    jobs.Remove(key);
                }
                else
                {
                    jobs[key] = (next, DateTimeOffset.MinValue);
                }
            }

            return Task.CompletedTask;
        }
    }

    private sealed class KeyComparer : IComparer<(string AppId, string Name)>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare((string AppId, string Name) x, (string AppId, string Name) y)
        {
            var byApp = string.CompareOrdinal(x.AppId, y.AppId);
            return byApp != 0 ? byApp : string.CompareOrdinal(x.Name, y.Name);
        }
    }
}
