using System.Net;
using System.Text;
using System.Text.Json;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Security;

/// <summary>
/// Pub/sub scopes and invoke access control across sidecars on RabbitMQ: each sidecar enforces its own configuration,
/// the publisher's and the subscriber's on their side, the target's on calls to its app.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ScopesAndAccessControlTests(RabbitMqFixture broker)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TopicScopes_PublisherAndSubscribersOnTheirOwnSidecars_EachSidecarEnforcesItsSide()
    {
        await using var entities = broker.Track();
        var orders = entities.Topic("orders");
        var payments = entities.Topic("payments");
        var shop = RabbitMqFixture.Unique("shop");
        var billing = RabbitMqFixture.Unique("billing");
        var audit = RabbitMqFixture.Unique("audit");
        entities.Subscription(billing, orders);
        var scoped = Scoped(
            ("publishingScopes", $"{shop}={orders}"),
            ("subscriptionScopes", $"{billing}={orders}"),
            ("protectedTopics", orders));
        await using var shopSidecar = await TestSidecar.StartAsync(shop, scoped);
        await using var billingSidecar = await TestSidecar.StartAsync(billing, scoped);
        await using var auditSidecar = await TestSidecar.StartAsync(audit, scoped);

        await using var subscriber = await StreamSubscriber.OpenAsync(billingSidecar, orders);
        var published = await shopSidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = orders, Data = ByteString.CopyFromUtf8("{}") });
        await Poll.UntilAsync(() => subscriber.Received.Contains(published.MessageId), Wait, () => $"billing did not receive {published.MessageId}");
        var outsideShopsScope = await Assert.ThrowsAsync<RpcException>(async () =>
            await shopSidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = payments, Data = ByteString.CopyFromUtf8("{}") }));
        var protectedFromAudit = await Assert.ThrowsAsync<RpcException>(async () =>
            await auditSidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = "pubsub", Topic = orders, Data = ByteString.CopyFromUtf8("{}") }));
        var billingOutsideItsScope = await Assert.ThrowsAsync<RpcException>(() => StreamSubscriber.OpenAsync(billingSidecar, payments));
        var auditOnProtected = await Assert.ThrowsAsync<RpcException>(() => StreamSubscriber.OpenAsync(auditSidecar, orders));

        Assert.Equal(StatusCode.PermissionDenied, outsideShopsScope.StatusCode);
        Assert.Equal($"app '{shop}' may not publish to topic '{payments}' of pub/sub 'pubsub': the component's publishingScopes grant this app only {orders}.", outsideShopsScope.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, protectedFromAudit.StatusCode);
        Assert.Contains("it is one of the component's protectedTopics, and publishingScopes does not grant it to this app.", protectedFromAudit.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.PermissionDenied, billingOutsideItsScope.StatusCode);
        Assert.Equal($"app '{billing}' may not subscribe to topic '{payments}' of pub/sub 'pubsub': the component's subscriptionScopes grant this app only {orders}.", billingOutsideItsScope.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, auditOnProtected.StatusCode);
        Assert.Contains("it is one of the component's protectedTopics, and subscriptionScopes does not grant it to this app.", auditOnProtected.Status.Detail, StringComparison.Ordinal);
        Assert.Null(await broker.MessageCountAsync(RabbitMqFixture.Queue(audit, orders)));
        Assert.Null(await broker.MessageCountAsync(RabbitMqFixture.Queue(billing, payments)));
    }

    [Fact]
    public async Task AccessControl_OnTheTargetsSidecar_AllowsOnlyWhatItsPolicyGrantsTheCallerOnEveryApi()
    {
        await using var entities = broker.Track();
        var billing = entities.InvokedApp("billing");
        var shop = RabbitMqFixture.Unique("shop");
        var stranger = RabbitMqFixture.Unique("stranger");
        await using var app = await InvokeApp.StartAsync();
        await using var target = await TestSidecar.StartAsync(billing, RabbitMqFixture.Settings(new Dictionary<string, string?>
        {
            ["BusRuntime:AccessControl:DefaultAction"] = "deny",
            ["BusRuntime:AccessControl:Policies:0:AppId"] = shop,
            ["BusRuntime:AccessControl:Policies:0:DefaultAction"] = "deny",
            ["BusRuntime:AccessControl:Policies:0:Operations:0:Name"] = "/invoices/*",
            ["BusRuntime:AccessControl:Policies:0:Operations:0:HttpVerb:0"] = "GET",
            ["BusRuntime:AccessControl:Policies:0:Operations:0:Action"] = "allow",
        }), app.Port);
        await target.WaitUntilServingInvocationsAsync(Wait);
        await using var shopSidecar = await TestSidecar.StartAsync(shop, RabbitMqFixture.Settings());
        await using var strangerSidecar = await TestSidecar.StartAsync(stranger, RabbitMqFixture.Settings());

        await shopSidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = billing, Method = "invoices/7", HttpVerb = "GET" }, deadline: DateTime.UtcNow + Wait);
        var wrongVerb = await Assert.ThrowsAsync<RpcException>(async () =>
            await shopSidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = billing, Method = "invoices/7", HttpVerb = "POST" }, deadline: DateTime.UtcNow + Wait));
        var noPolicy = await Assert.ThrowsAsync<RpcException>(async () =>
            await strangerSidecar.Runtime.InvokeServiceAsync(new InvokeServiceRequest { AppId = billing, Method = "invoices/7", HttpVerb = "GET" }, deadline: DateTime.UtcNow + Wait));
        using var overHttp = await shopSidecar.Http.PostAsync(
            new Uri($"/v1.0/invoke/{billing}/method/refunds/7", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(StatusCode.PermissionDenied, wrongVerb.StatusCode);
        Assert.Equal(
            $"app '{billing}' does not let app '{shop}' call method 'invoices/7' with POST: denied by BusRuntime:AccessControl:Policies:0:DefaultAction of its access control.",
            wrongVerb.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, noPolicy.StatusCode);
        Assert.Equal(
            $"app '{billing}' does not let app '{stranger}' call method 'invoices/7' with GET: its access control denies callers without a policy (BusRuntime:AccessControl:DefaultAction deny).",
            noPolicy.Status.Detail);
        Assert.Equal(HttpStatusCode.Forbidden, overHttp.StatusCode);
        using var body = JsonDocument.Parse(await overHttp.Content.ReadAsStringAsync());
        Assert.Equal("ERR_DIRECT_INVOKE", body.RootElement.GetProperty("errorCode").GetString());
        Assert.Contains($"does not let app '{shop}' call method 'refunds/7' with POST", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        var received = Assert.Single(app.Received);
        Assert.Equal("invoices/7", received.Request.Method);
        Assert.Equal(shop, received.Headers["dapr-caller-app-id"]);
    }

    private static Dictionary<string, string?> Scoped(params (string Key, string Value)[] metadata)
    {
        var settings = new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "pubsub",
            ["BusRuntime:Components:0:Type"] = "pubsub.bus",
        };
        foreach (var (key, value) in metadata)
        {
            settings[$"BusRuntime:Components:0:Metadata:{key}"] = value;
        }

        return RabbitMqFixture.Settings(settings);
    }
}
