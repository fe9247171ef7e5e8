using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>
/// Dapr's jobs API through Dapr's own generated types (Dapr.Protos 1.18.7; there is no jobs package of the .NET SDK):
/// jobs scheduled with Dapr's client, ticks received by an app written on Dapr's AppCallbackAlpha; on PostgreSQL a job
/// outlives the sidecar that scheduled it.
/// </summary>
public sealed class JobTests(StateBackendsFixture servers) : IClassFixture<StateBackendsFixture>
{
    [Fact]
    public async Task ScheduleJobAlpha1_DaprsClientAndApp_TheTickArrivesWithTheDataAndGetJobAnswersTheJob()
    {
        var app = new DaprJobApp();
        var (host, port) = await app.StartAsync();
        await using var _ = host;
        await using var sidecar = await TestSidecar.StartAsync("sdk-jobs", appPort: port);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.GrpcPort}");
        var dapr = new Dapr.Client.Autogen.Grpc.v1.Dapr.DaprClient(channel);

        // Deprecated by Dapr, and what apps built before 1.18 still call.
#pragma warning disable CS0612
        await dapr.ScheduleJobAlpha1Async(new ScheduleJobRequest
        {
            Job = new Job { Name = "later", DueTime = "1h", Data = Any.Pack(new StringValue { Value = "kept" }) },
        });
#pragma warning restore CS0612
        var read = (await dapr.GetJobAsync(new GetJobRequest { Name = "later" })).Job;
        await dapr.ScheduleJobAsync(new ScheduleJobRequest { Job = new Job { Name = "now", DueTime = "0s", Data = Any.Pack(new StringValue { Value = "fired" }) } });
        await Poll.UntilAsync(() => !app.Received.IsEmpty, TimeSpan.FromSeconds(10), () => "no tick arrived");

        Assert.Equal(("later", "1h", "kept"), (read.Name, read.DueTime, read.Data.Unpack<StringValue>().Value));
        var tick = Assert.Single(app.Received);
        Assert.Equal(("now", "job/now", "fired"), (tick.Name, tick.Method, tick.Data.Unpack<StringValue>().Value));
    }

    [Fact]
    public async Task ScheduleJob_OnPostgresTheSidecarRestarts_TheNextSidecarOfTheAppFiresIt()
    {
        var settings = new Dictionary<string, string?>
        {
            ["BusRuntime:Postgres"] = PostgresServer.ConnectionString,
            ["BusRuntime:PostgresSchema"] = servers.Postgres.NewSchema(),
        };
        await using (var first = await TestSidecar.StartAsync("sdk-jobs-restart", settings))
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{first.GrpcPort}");
            await new Dapr.Client.Autogen.Grpc.v1.Dapr.DaprClient(channel).ScheduleJobAsync(new ScheduleJobRequest
            {
                Job = new Job { Name = "survivor", DueTime = "2s", Data = Any.Pack(new StringValue { Value = "still here" }) },
            });
        }

        var app = new DaprJobApp();
        var (host, port) = await app.StartAsync();
        await using var _ = host;
        await using var second = await TestSidecar.StartAsync("sdk-jobs-restart", settings, port);
        await Poll.UntilAsync(() => !app.Received.IsEmpty, TimeSpan.FromSeconds(15), () => "the job did not fire after the restart");

        var tick = Assert.Single(app.Received);
        Assert.Equal(("survivor", "still here"), (tick.Name, tick.Data.Unpack<StringValue>().Value));
    }
}
