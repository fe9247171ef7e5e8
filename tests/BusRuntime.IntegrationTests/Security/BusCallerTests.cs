using BusRuntime.Contracts;
using BusRuntime.IntegrationTests.Invoke;
using MassTransit;

namespace BusRuntime.IntegrationTests.Security;

/// <summary>
/// A .NET service on the bus sends what no sidecar would: the target's sidecar is the last check before its app. It
/// passes the request's source as the caller, never a header of that name, cleans the method, and refuses what it
/// cannot pass on.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class BusCallerTests(RabbitMqFixture broker)
{
    [Fact]
    public async Task InvokeRequest_WithACallerHeaderAndATraversal_TheAppGetsTheSourceAndTheCleanedMethod()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var target = await InvokeReplica.StartAsync(billing);
        await using var service = await ServiceBus.StartAsync();

        var response = await Client(service, billing).GetResponse<InvokeResponse>(Request(billing, "invoices/../admin", new Dictionary<string, string> { ["dapr-caller-app-id"] = "billing" }));

        Assert.Equal(InvokeResponse.Ok, response.Message.StatusCode);
        var received = Assert.Single(target.App.Received);
        Assert.Equal("admin", received.Request.Method);
        Assert.Equal("invoicing-service", received.Headers["dapr-caller-app-id"]);
    }

    [Fact]
    public async Task InvokeRequest_MethodWithAQuery_RefusedByTheTargetsSidecarAndTheAppIsNotCalled()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var target = await InvokeReplica.StartAsync(billing);
        await using var service = await ServiceBus.StartAsync();

        var response = await Client(service, billing).GetResponse<InvokeResponse>(Request(billing, "invoices?admin=1", new Dictionary<string, string>()));

        Assert.True(response.Message.RefusedBySidecar);
        Assert.Equal(3, response.Message.StatusCode);
        Assert.Equal(
            $"the sidecar of app '{billing}' does not pass on method 'invoices?admin=1': method contains '?' at position 8; a method is a path without query or fragment.",
            response.Message.StatusMessage);
        Assert.Empty(target.App.Received);
    }

    [Fact]
    public async Task InvokeRequest_FromASourceTheAccessControlDenies_RefusedWithPermissionDenied()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        await using var target = await InvokeReplica.StartAsync(billing, new Dictionary<string, string?>
        {
            ["BusRuntime:AccessControl:Policies:0:AppId"] = "shop",
            ["BusRuntime:AccessControl:Policies:0:DefaultAction"] = "allow",
        });
        await using var service = await ServiceBus.StartAsync();

        var response = await Client(service, billing).GetResponse<InvokeResponse>(Request(billing, "charge", new Dictionary<string, string>()));

        Assert.True(response.Message.RefusedBySidecar);
        Assert.Equal(7, response.Message.StatusCode);
        Assert.StartsWith($"app '{billing}' does not let app 'invoicing-service' call method 'charge'", response.Message.StatusMessage, StringComparison.Ordinal);
        Assert.Empty(target.App.Received);
    }

    private static IRequestClient<InvokeRequest> Client(ServiceBus service, string appId) =>
        service.Bus.CreateRequestClient<InvokeRequest>(new Uri($"exchange:{InvokeNames.Exchange(appId)}"));

    private static InvokeRequest Request(string appId, string method, Dictionary<string, string> metadata) => new()
    {
        AppId = appId,
        Method = method,
        Source = "invoicing-service",
        Metadata = metadata,
        ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(30),
    };
}
