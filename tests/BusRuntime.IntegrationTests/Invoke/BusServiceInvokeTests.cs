using System.Text.Json;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;
using MassTransit;

namespace BusRuntime.IntegrationTests.Invoke;

/// <summary>
/// .NET services on the bus with no sidecar: one that answers invocations (samples/BusRuntime.Samples.BusService,
/// run as its own process), and one that calls an app with MassTransit's request client.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class BusServiceInvokeTests(RabbitMqFixture broker)
{
    [Fact]
    public async Task InvokeService_ServiceOnTheBusAnswersForTheAppId_CallerGetsItsAnswersAndStatuses()
    {
        await using var entities = broker.Track();
        var audit = entities.InvokedApp("order-audit");
        entities.Queue(RabbitMqFixture.Queue(audit, "orders"));
        await using var service = BusServiceProcess.Start(audit);
        await using var caller = await TestSidecar.StartAsync(RabbitMqFixture.Unique("shop"), RabbitMqFixture.Settings());
        var echo = new InvokeServiceRequest { AppId = audit, Method = "echo", Data = ByteString.CopyFromUtf8("ping"), ContentType = "text/plain", Metadata = { ["tenant"] = "acme" } };

        // The service takes a moment to start; until it consumes, calls fail UNAVAILABLE at once.
        Protos.V1.InvokeResponse? echoed = null;
        Metadata? headers = null;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    using var call = caller.Runtime.InvokeServiceAsync(echo, deadline: DateTime.UtcNow.AddSeconds(30));
                    echoed = await call.ResponseAsync;
                    headers = await call.ResponseHeadersAsync;
                    return true;
                }
                catch (RpcException notYet) when (notYet.StatusCode == StatusCode.Unavailable)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            () => "the bus service never answered");
        var count = await caller.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = audit, Method = "orders/count" }, deadline: DateTime.UtcNow.AddSeconds(30));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await caller.Runtime.InvokeServiceAsync(
            new InvokeServiceRequest { AppId = audit, Method = "orders/delete" }, deadline: DateTime.UtcNow.AddSeconds(30)));

        Assert.Equal("ping", echoed!.Data.ToStringUtf8());
        Assert.Equal("text/plain", echoed.ContentType);
        Assert.Equal("acme", headers!.GetValue("tenant"));
        Assert.Equal("application/json", count.ContentType);
        Assert.Equal(0, JsonDocument.Parse(count.Data.ToStringUtf8()).RootElement.GetProperty("received").GetInt64());
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("method 'orders/delete' is not one of: orders/count, echo.", unknown.Status.Detail);
    }

    [Fact]
    public async Task InvokeRequest_SentByAServiceWithMassTransitsRequestClient_AnsweredByAnAppBehindItsSidecar()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var target = await InvokeReplica.StartAsync(billing);
        target.App.Respond = (request, _) =>
            Task.FromResult(InvokeApp.Answer(ByteString.CopyFromUtf8("charged " + request.Data.Value.ToStringUtf8()), "text/plain"));
        await using var service = await ServiceBus.StartAsync();
        var client = service.Bus.CreateRequestClient<BusRuntime.Contracts.InvokeRequest>(new Uri($"exchange:{BusRuntime.Contracts.InvokeNames.Exchange(billing)}"));

        var response = await client.GetResponse<BusRuntime.Contracts.InvokeResponse>(new BusRuntime.Contracts.InvokeRequest
        {
            AppId = billing,
            Method = "charge",
            Source = "invoicing-service",
            Data = "42"u8.ToArray(),
            ContentType = "text/plain",
            Metadata = new Dictionary<string, string> { ["tenant"] = "acme" },
            ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(30),
        });

        Assert.Equal(BusRuntime.Contracts.InvokeResponse.Ok, response.Message.StatusCode);
        Assert.Equal("charged 42", System.Text.Encoding.UTF8.GetString(response.Message.Data));
        Assert.Equal("text/plain", response.Message.ContentType);
        var received = Assert.Single(target.App.Received);
        Assert.Equal("invoicing-service", received.Headers["dapr-caller-app-id"]);
        Assert.Equal("acme", received.Headers["tenant"]);
    }
}
