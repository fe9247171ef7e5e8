using BusRuntime.Core.Jobs;

namespace BusRuntime.Stores.Tests.Jobs;

/// <summary>What every job store does: jobs kept per (app, name), claims leased to one caller, releases that lose to a newer version.</summary>
public abstract class JobStoreBehaviour
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private IJobStore? store;

    protected IJobStore Store => store ??= CreateStore();

    protected abstract IJobStore CreateStore();

    [Fact]
    public async Task PutAsync_ThenGetAsync_EveryFieldBack()
    {
        var job = new StoredJob(
            "orders",
            new Job("nightly", "0 0 3 * * *", 7, "10s", "2027-01-01T00:00:00Z", new JobData("type.googleapis.com/google.protobuf.StringValue", new byte[] { 10, 1, 65 }), new JobFailurePolicy(false, TimeSpan.FromMilliseconds(1500), 4)),
            Now,
            Now.AddSeconds(10),
            Now.AddSeconds(11),
            2,
            1,
            Guid.NewGuid());

        Assert.Equal(JobPutResult.Stored, await Store.PutAsync(job, false, 10, CancellationToken.None));
        var read = await Store.GetAsync("orders", "nightly", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(job with { Job = job.Job with { Data = read.Job.Data } }, read);
        Assert.Equal(job.Job.Data!.TypeUrl, read.Job.Data!.TypeUrl);
        Assert.Equal(job.Job.Data.Value.ToArray(), read.Job.Data.Value.ToArray());
    }

    [Fact]
    public async Task PutAsync_UnsetFieldsAndDropPolicy_ReadBackUnset()
    {
        var job = Due("once", Now) with { Job = new Job("once", null, null, "0s", null, null, new JobFailurePolicy(true, TimeSpan.Zero, null)) };

        await Store.PutAsync(job, false, 10, CancellationToken.None);

        Assert.Equal(job, await Store.GetAsync("orders", "once", CancellationToken.None));
    }

    [Fact]
    public async Task PutAsync_ExistingName_AlreadyExistsUnlessOverwrite()
    {
        await Store.PutAsync(Due("a", Now), false, 10, CancellationToken.None);
        var replacement = Due("a", Now.AddHours(1));

        Assert.Equal(JobPutResult.AlreadyExists, await Store.PutAsync(replacement, false, 10, CancellationToken.None));
        Assert.Equal(Now, (await Store.GetAsync("orders", "a", CancellationToken.None))!.DueAt);
        Assert.Equal(JobPutResult.Stored, await Store.PutAsync(replacement, true, 10, CancellationToken.None));
        Assert.Equal(replacement.Version, (await Store.GetAsync("orders", "a", CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task PutAsync_AppAtItsBound_TooManyButAnotherAppAndAnOverwriteAreStored()
    {
        await Store.PutAsync(Due("a", Now), false, 2, CancellationToken.None);
        await Store.PutAsync(Due("b", Now), false, 2, CancellationToken.None);

        Assert.Equal(JobPutResult.TooMany, await Store.PutAsync(Due("c", Now), false, 2, CancellationToken.None));
        Assert.Equal(JobPutResult.Stored, await Store.PutAsync(Due("a", Now), true, 2, CancellationToken.None));
        Assert.Equal(JobPutResult.Stored, await Store.PutAsync(Due("c", Now) with { AppId = "billing" }, false, 2, CancellationToken.None));
    }

    [Fact]
    public async Task ClaimDueAsync_DueJobsOfTheAppOnce_UntilTheLeaseEnds()
    {
        await Store.PutAsync(Due("due", Now), false, 10, CancellationToken.None);
        await Store.PutAsync(Due("later", Now.AddMinutes(1)), false, 10, CancellationToken.None);
        await Store.PutAsync(Due("other", Now) with { AppId = "billing" }, false, 10, CancellationToken.None);

        var first = await Store.ClaimDueAsync("orders", Now, Lease, 10, CancellationToken.None);
        var second = await Store.ClaimDueAsync("orders", Now.AddSeconds(30), Lease, 10, CancellationToken.None);
        var afterLease = await Store.ClaimDueAsync("orders", Now.AddMinutes(3), Lease, 10, CancellationToken.None);

        Assert.Equal(["due"], first.Select(job => job.Job.Name));
        Assert.Empty(second);
        Assert.Equal(["due", "later"], afterLease.Select(job => job.Job.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ClaimDueAsync_MoreDueThanMax_TheEarliestFirst()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.PutAsync(Due($"j{i}", Now.AddSeconds(-i)), false, 10, CancellationToken.None);
        }

        var claimed = await Store.ClaimDueAsync("orders", Now, Lease, 2, CancellationToken.None);

        Assert.Equal(["j3", "j4"], claimed.Select(job => job.Job.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReleaseAsync_NextTick_StoredAndClaimableWhenDue()
    {
        await Store.PutAsync(Due("tick", Now), false, 10, CancellationToken.None);
        var claimed = Assert.Single(await Store.ClaimDueAsync("orders", Now, Lease, 10, CancellationToken.None));

        await Store.ReleaseAsync(claimed, claimed with { Tick = Now.AddSeconds(1), DueAt = Now.AddSeconds(1), Fired = 1 }, CancellationToken.None);

        Assert.Empty(await Store.ClaimDueAsync("orders", Now.AddMilliseconds(500), Lease, 10, CancellationToken.None));
        var next = Assert.Single(await Store.ClaimDueAsync("orders", Now.AddSeconds(1), Lease, 10, CancellationToken.None));
        Assert.Equal(1, next.Fired);
    }

    [Fact]
    public async Task ReleaseAsync_Done_TheJobIsDeleted()
    {
        await Store.PutAsync(Due("once", Now), false, 10, CancellationToken.None);
        var claimed = Assert.Single(await Store.ClaimDueAsync("orders", Now, Lease, 10, CancellationToken.None));

        await Store.ReleaseAsync(claimed, null, CancellationToken.None);

        Assert.Null(await Store.GetAsync("orders", "once", CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseAsync_JobScheduledAnewMeanwhile_TheNewJobStaysUnleased()
    {
        await Store.PutAsync(Due("once", Now), false, 10, CancellationToken.None);
        var claimed = Assert.Single(await Store.ClaimDueAsync("orders", Now, Lease, 10, CancellationToken.None));
        var anew = Due("once", Now.AddSeconds(5));
        await Store.PutAsync(anew, true, 10, CancellationToken.None);

        await Store.ReleaseAsync(claimed, null, CancellationToken.None);
        await Store.ReleaseAsync(claimed, claimed with { DueAt = Now.AddHours(1) }, CancellationToken.None);

        Assert.Equal(anew, await Store.GetAsync("orders", "once", CancellationToken.None));
        Assert.Single(await Store.ClaimDueAsync("orders", Now.AddSeconds(5), Lease, 10, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAndDeleteByPrefixAndList_OnlyTheAppsNamedJobs()
    {
        foreach (var name in new[] { "report-b", "report-a", "cleanup" })
        {
            await Store.PutAsync(Due(name, Now), false, 10, CancellationToken.None);
        }

        await Store.PutAsync(Due("report-c", Now) with { AppId = "billing" }, false, 10, CancellationToken.None);

        Assert.Equal(["cleanup", "report-a", "report-b"], (await Store.ListAsync("orders", 10, CancellationToken.None)).Select(job => job.Job.Name));
        Assert.Equal(["cleanup", "report-a"], (await Store.ListAsync("orders", 2, CancellationToken.None)).Select(job => job.Job.Name));
        Assert.True(await Store.DeleteAsync("orders", "cleanup", CancellationToken.None));
        Assert.False(await Store.DeleteAsync("orders", "cleanup", CancellationToken.None));
        Assert.Equal(2, await Store.DeleteByPrefixAsync("orders", "report-", CancellationToken.None));
        Assert.Empty(await Store.ListAsync("orders", 10, CancellationToken.None));
        Assert.Single(await Store.ListAsync("billing", 10, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteByPrefixAsync_PrefixWithLikeWildcards_MatchedLiterally()
    {
        await Store.PutAsync(Due("a_b", Now), false, 10, CancellationToken.None);
        await Store.PutAsync(Due("axb", Now), false, 10, CancellationToken.None);

        Assert.Equal(1, await Store.DeleteByPrefixAsync("orders", "a_", CancellationToken.None));
        Assert.NotNull(await Store.GetAsync("orders", "axb", CancellationToken.None));
    }

    protected static StoredJob Due(string name, DateTimeOffset dueAt) =>
        new("orders", new Job(name, "@every 1s", null, null, null, null, null), Now.AddSeconds(-1), dueAt, dueAt, 0, 0, Guid.NewGuid());
}
