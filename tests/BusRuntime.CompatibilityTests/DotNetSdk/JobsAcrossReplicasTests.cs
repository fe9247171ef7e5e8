using System.Collections.Concurrent;
using BusRuntime.CompatibilityTests.Fixtures;
using BusRuntime.Testing;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;

namespace BusRuntime.CompatibilityTests.DotNetSdk;

/// <summary>
/// An app run as two replicas, each with its sidecar, on RabbitMQ and PostgreSQL: a job scheduled through Dapr's
/// client fires each tick once for the app, carried over the broker to one of the replicas.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class JobsAcrossReplicasTests(BrokerFixture broker)
{
    [Fact]
    public async Task ScheduleJob_TwoReplicasOnRabbitMqAndPostgres_EachTickReachesOneReplicaOnce()
    {
        await using var postgres = new PostgresServer();
        await postgres.EnsureReachableAsync();
        var appId = BrokerFixture.UniqueAppId("jobs-rq");
        var settings = BrokerFixture.Settings();
        settings["BusRuntime:Postgres"] = PostgresServer.ConnectionString;
        settings["BusRuntime:PostgresSchema"] = postgres.NewSchema();
        var received = new ConcurrentQueue<JobEventRequest>();
        try
        {
            var (hostA, portA) = await new DaprJobApp(received).StartAsync();
            await using var _ = hostA;
            var (hostB, portB) = await new DaprJobApp(received).StartAsync();
            await using var __ = hostB;
            await using var replicaA = await TestSidecar.StartAsync(appId, settings, portA);
            await using var replicaB = await TestSidecar.StartAsync(appId, settings, portB);
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{replicaA.GrpcPort}");
            var dapr = new Dapr.Client.Autogen.Grpc.v1.Dapr.DaprClient(channel);

            await dapr.ScheduleJobAsync(new ScheduleJobRequest
            {
                Job = new Job { Name = "heartbeat", Schedule = "@every 1s", Repeats = 4, Data = Any.Pack(new StringValue { Value = "beat" }) },
            });

            await Poll.UntilAsync(() => received.Count >= 4, TimeSpan.FromSeconds(30), () => $"{received.Count} ticks arrived");
            await Poll.UntilAsync(
                async () => (await dapr.ListJobsAsync(new ListJobsRequest())).Jobs.Count == 0,
                TimeSpan.FromSeconds(10),
                () => "the job is still listed after its four ticks");
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Equal(4, received.Count);
            Assert.All(received, tick => Assert.Equal(("heartbeat", "beat"), (tick.Name, tick.Data.Unpack<StringValue>().Value)));
        }
        finally
        {
            await broker.DeleteJobEntitiesAsync(appId);
        }
    }
}
