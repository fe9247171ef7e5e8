using System.Collections.Concurrent;
using BusRuntime.Contracts;
using BusRuntime.Protos.Dapr.Runtime.V1;
using BusRuntime.Protos.V1;
using BusRuntime.Sidecar.Tests.Dapr;
using BusRuntime.Testing;
using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Empty = Google.Protobuf.WellKnownTypes.Empty;

namespace BusRuntime.Sidecar.Tests.Jobs;

/// <summary>A job's tick travels as a bus message to the app's jobs queue, journaled like every message, and reaches only its own app.</summary>
public sealed class JobTicksOnTheBusTests
{
    [Fact]
    public async Task ScheduleJob_TheTickAndTheAppsAnswerAreJournaledBusMessages()
    {
        var jobs = new JobCallback();
        var (app, port) = await GrpcAppHost.StartAsync(jobs, new EmptyCallback());
        await using var _ = app;
        await using var sidecar = await TestSidecar.StartAsync("jobs-journal", appPort: port);
        var (channel, dapr) = DaprSidecar.ClientFor(sidecar);
        using var __ = channel;

        await dapr.ScheduleJobAsync(new ScheduleJobRequest { Job = new Job { Name = "report", DueTime = "0s" } });

        await Poll.UntilAsync(() => !jobs.Received.IsEmpty, TimeSpan.FromSeconds(10), () => "no tick arrived");
        IReadOnlyList<JournalEntry> entries = [];
        await Poll.UntilAsync(
            async () =>
            {
                entries = (await sidecar.Operations.ListMessagesAsync(new ListMessagesRequest { AppId = "jobs-journal" })).Entries;
                return entries.Any(entry => entry.Kind == "job-tick" && entry.Outcome == "delivered")
                    && entries.Any(entry => entry.Kind == "job-tick-outcome");
            },
            TimeSpan.FromSeconds(10),
            () => $"the journal has: {string.Join("; ", entries.Select(entry => $"{entry.Kind} {entry.Outcome} {entry.DestinationAddress}"))}");
        var tick = entries.First(entry => entry.Kind == "job-tick" && entry.Outcome == "delivered");
        Assert.Equal("jobs-journal", tick.SourceAppId);
        Assert.Contains(JobNames.Queue("jobs-journal"), tick.DestinationAddress, StringComparison.Ordinal);
        var body = (await sidecar.Operations.GetMessageAsync(new GetMessageRequest { MessageId = tick.MessageId })).Entries[0].Body;
        Assert.Contains("\"report\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobTriggered_OfAnotherApp_IsRefusedAndNeverReachesThisApp()
    {
        var jobs = new JobCallback();
        var (app, port) = await GrpcAppHost.StartAsync(jobs, new EmptyCallback());
        await using var _ = app;
        await using var sidecar = await TestSidecar.StartAsync("jobs-owner", appPort: port);
        var client = sidecar.Services.GetRequiredService<IClientFactory>().CreateRequestClient<JobTriggered>(new Uri($"queue:{JobNames.Queue("jobs-owner")}"));

        JobTriggerOutcome? outcome = null;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    // The sidecar connects its jobs queue once started: until then a request may go unanswered.
                    outcome = (await client.GetResponse<JobTriggerOutcome>(new JobTriggered { AppId = "jobs-intruder", Name = "steal" }, timeout: RequestTimeout.After(s: 2))).Message;
                    return true;
                }
                catch (RequestTimeoutException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(15),
            () => "the sidecar never answered the tick");

        Assert.False(outcome!.Taken);
        Assert.Equal("this sidecar serves app 'jobs-owner', not 'jobs-intruder'.", outcome.Reason);
        Assert.Empty(jobs.Received);
    }

    private sealed class JobCallback : AppCallbackAlpha.AppCallbackAlphaBase
    {
        public ConcurrentQueue<JobEventRequest> Received { get; } = new();

        [Obsolete("Dapr deprecates OnJobEventAlpha1; it is what daprd 1.18's published protos call.")]
        public override Task<JobEventResponse> OnJobEventAlpha1(JobEventRequest request, ServerCallContext context)
        {
            Received.Enqueue(request);
            return Task.FromResult(new JobEventResponse());
        }
    }

    private sealed class EmptyCallback : Protos.Dapr.Runtime.V1.AppCallback.AppCallbackBase
    {
        public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Empty request, ServerCallContext context) =>
            Task.FromResult(new ListTopicSubscriptionsResponse());
    }
}
