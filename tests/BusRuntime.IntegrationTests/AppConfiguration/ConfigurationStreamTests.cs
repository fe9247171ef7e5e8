using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.AppConfiguration;

/// <summary>
/// A SubscribeConfiguration stream on RabbitMQ and PostgreSQL ends with the status its requests earn, never a
/// reset: a second request that arrives while the first answer is being written used to cancel that write, and
/// gRPC then reset the whole stream (CANCEL), so the client saw CANCELLED instead of INVALID_ARGUMENT (found by
/// the fuzz suite on RabbitMQ and PostgreSQL).
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ConfigurationStreamTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task SubscribeConfiguration_SecondRequestSentBeforeTheFirstAnswer_EndsInvalidArgumentNotReset()
    {
        var settings = postgres.Settings(postgres.Server.NewSchema(), more: RabbitMqFixture.Settings());
        // As the fuzz suite runs its sidecar; the race shows more often with it.
        settings["BusRuntime:MaxPayloadBytes"] = "1024";
        var app = RabbitMqFixture.Unique("shop");
        await using var sidecar = await TestSidecar.StartAsync(app, settings);

        var statuses = new List<StatusCode>();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var call = sidecar.Runtime.SubscribeConfiguration(deadline: DateTime.UtcNow.AddSeconds(10));
            await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest
            {
                StoreName = "configstore",
                AppId = app,
                Group = "1",
                Metadata = { ["content-type"] = "text/plain" },
            });
            await call.RequestStream.WriteAsync(new SubscribeConfigurationRequest { StoreName = "configstore", AppId = app, Group = "2" });
            await call.RequestStream.CompleteAsync();
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            });
            statuses.Add(error.StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(StatusCode.InvalidArgument, status));
    }
}
