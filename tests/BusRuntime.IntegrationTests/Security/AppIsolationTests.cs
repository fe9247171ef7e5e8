using BusRuntime.IntegrationTests.Workflows;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Security;

/// <summary>
/// One sidecar acts for one app: the sidecars of two apps, "shop" and "billing", on the real RabbitMQ, sharing
/// configuration, the journal and the workflow instances on the real PostgreSQL. Neither reaches what is the other's
/// through its own sidecar, unless configuration grants it (readScopes) or the call carries the operator token.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class AppIsolationTests(RabbitMqFixture broker, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string OperatorToken = "op-s3cret";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly Metadata Operator = new() { { "busruntime-operator-token", OperatorToken } };

    [Fact]
    public async Task Configuration_AnotherAppsSidecarCannotWriteItAndItsSubscribersGetOnlyTheirAppsChanges()
    {
        var (shopId, billingId) = (RabbitMqFixture.Unique("shop"), RabbitMqFixture.Unique("billing"));
        var settings = Settings(postgres.Server.NewSchema());
        await using var shop = await TestSidecar.StartAsync(shopId, settings);
        await using var billing = await TestSidecar.StartAsync(billingId, settings);
        await SaveAsync(shop, "", ("timeout", "30s"));
        await using var shopsSubscriber = await ConfigurationSubscriber.OpenAsync(shop, shopId);

        var save = await Assert.ThrowsAsync<RpcException>(() => SaveAsync(billing, shopId, ("timeout", "planted"), ("webhook", "https://billing.example")));
        var delete = await Assert.ThrowsAsync<RpcException>(async () =>
            await billing.Runtime.DeleteConfigurationAsync(new DeleteConfigurationRequest { StoreName = "configstore", AppId = shopId, Keys = { "timeout" } }));
        var read = await Assert.ThrowsAsync<RpcException>(async () =>
            await billing.Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = "configstore", AppId = shopId }));
        // A change shop makes after billing's attempts: once it arrived, anything billing planted would have too.
        await SaveAsync(shop, "", ("retries", "3"));
        var retries = (await shop.Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = "configstore", Keys = { "retries" } })).Items[0];
        await shopsSubscriber.WaitForVersionAsync("retries", retries.Version, Wait);

        Assert.All([save, delete, read], error => Assert.Equal(StatusCode.PermissionDenied, error.StatusCode));
        Assert.Equal(["retries=3"], shopsSubscriber.Changes.Select(item => $"{item.Key}={item.Content}"));
        Assert.Equal("30s", shopsSubscriber.Latest("timeout")!.Content);
    }

    [Fact]
    public async Task Configuration_ReadScopesGrantAnotherAppsSidecar_ItFollowsTheAppsChanges()
    {
        var (shopId, billingId) = (RabbitMqFixture.Unique("shop"), RabbitMqFixture.Unique("billing"));
        // One component file for every sidecar of the deployment: billing may read shop's items.
        var settings = Settings(postgres.Server.NewSchema(), new Dictionary<string, string?>
        {
            ["BusRuntime:Components:0:Name"] = "configstore",
            ["BusRuntime:Components:0:Type"] = "configuration.postgresql",
            ["BusRuntime:Components:0:Metadata:readScopes"] = $"{billingId}={shopId}",
        });
        await using var shop = await TestSidecar.StartAsync(shopId, settings);
        await using var billing = await TestSidecar.StartAsync(billingId, settings);
        await using var onBilling = await ConfigurationSubscriber.OpenAsync(billing, shopId);

        await SaveAsync(shop, "", ("timeout", "30s"));
        var saved = (await billing.Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = "configstore", AppId = shopId })).Items.Single();
        await onBilling.WaitForVersionAsync("timeout", saved.Version, Wait);
        var shopReadsBilling = await Assert.ThrowsAsync<RpcException>(async () =>
            await shop.Runtime.GetConfigurationAsync(new GetConfigurationRequest { StoreName = "configstore", AppId = billingId }));

        Assert.Equal("30s", onBilling.Latest("timeout")!.Content);
        Assert.Equal(StatusCode.PermissionDenied, shopReadsBilling.StatusCode);
    }

    [Fact]
    public async Task Operations_AnotherAppsJournalEntriesAreHiddenAndCannotBeReplayed_TheOperatorTokenShowsThem()
    {
        await using var entities = broker.Track();
        var (shopId, billingId) = (RabbitMqFixture.Unique("shop"), RabbitMqFixture.Unique("billing"));
        var (invoices, audits) = (entities.Topic("invoices"), entities.Topic("audits"));
        entities.Subscription(billingId, invoices);
        await using var app = await SubscriberApp.StartAsync((RabbitMqFixture.PubsubName, invoices));
        var settings = Settings(postgres.Server.NewSchema());
        await using var billing = await TestSidecar.StartAsync(billingId, settings, app.Port);
        await using var shop = await TestSidecar.StartAsync(shopId, settings);
        await billing.WaitForSubscriptionsAsync(1);

        var delivered = await PublishAsync(shop, invoices, "{\"total\":12}");
        var elsewhere = await PublishAsync(shop, audits, "{\"card\":\"4111 1111 1111 1111\"}");
        await app.WaitForAsync(1, Wait);
        await Poll.UntilAsync(
            async () => (await billing.Operations.ListMessagesAsync(new ListMessagesRequest { AppId = shopId }, Operator)).Entries.Count >= 3,
            Wait,
            () => "shop's two sends and billing's delivery were not all journaled");

        var billingsView = (await billing.Operations.ListMessagesAsync(new ListMessagesRequest { AppId = shopId })).Entries;
        var operatorsView = (await billing.Operations.ListMessagesAsync(new ListMessagesRequest { AppId = shopId }, Operator)).Entries;
        var hidden = await Assert.ThrowsAsync<RpcException>(async () => await billing.Operations.GetMessageAsync(new GetMessageRequest { MessageId = elsewhere }));
        var replayHidden = await Assert.ThrowsAsync<RpcException>(async () => await billing.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = elsewhere }));
        var replayToShop = await Assert.ThrowsAsync<RpcException>(async () =>
            await billing.Operations.ReplayMessageAsync(new ReplayMessageRequest { MessageId = delivered, ToAppId = shopId }));
        var shopsOwn = (await shop.Operations.GetMessageAsync(new GetMessageRequest { MessageId = elsewhere })).Entries;

        Assert.Equal([(delivered, "delivered")], billingsView.Select(entry => (entry.MessageId, entry.Outcome)));
        Assert.Equal(
            new[] { (delivered, "delivered"), (delivered, "sent"), (elsewhere, "sent") }.Order(),
            operatorsView.Select(entry => (entry.MessageId, entry.Outcome)).Order());
        Assert.Equal(StatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(StatusCode.NotFound, replayHidden.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, replayToShop.StatusCode);
        Assert.Equal(["sent"], shopsOwn.Select(entry => entry.Outcome));
    }

    [Fact]
    public async Task Workflows_SameInstanceIdInTwoApps_TwoInstancesNeitherAppSeesOrTerminatesTheOther()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        var (shopId, billingId) = (RabbitMqFixture.Unique("shop"), RabbitMqFixture.Unique("billing"));
        var prefix = RabbitMqFixture.Unique("wf");
        foreach (var suffix in new[] { "saga", "step_execute", "step_compensate" })
        {
            entities.Queue($"{prefix}-{suffix}");
        }

        var settings = Settings(postgres.Server.NewSchema(), new Dictionary<string, string?> { ["BusRuntime:WorkflowQueuePrefix"] = prefix });
        await using var shop = await TestSidecar.StartAsync(shopId, settings);
        await using var billing = await TestSidecar.StartAsync(billingId, settings);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        apps.Gates["slow-reserve"] = gate;
        try
        {
            var id = $"order-{Guid.NewGuid():N}";
            await shop.Runtime.StartWorkflowAsync(new StartWorkflowRequest { InstanceId = id, Input = ByteString.CopyFromUtf8("s"), Steps = { apps.Step(0, "slow-reserve") } }, deadline: DateTime.UtcNow.AddSeconds(60));

            var get = await Assert.ThrowsAsync<RpcException>(async () => await billing.Runtime.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = id }));
            var terminate = await Assert.ThrowsAsync<RpcException>(async () =>
                await billing.Runtime.TerminateWorkflowAsync(new TerminateWorkflowRequest { InstanceId = id, Reason = "billing says so" }, deadline: DateTime.UtcNow.AddSeconds(30)));
            var nobodys = await Assert.ThrowsAsync<RpcException>(async () => await billing.Runtime.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = $"{id}-never" }));
            await billing.Runtime.StartWorkflowAsync(new StartWorkflowRequest { InstanceId = id, Input = ByteString.CopyFromUtf8("b"), Steps = { apps.Step(1, "charge") } }, deadline: DateTime.UtcNow.AddSeconds(60));
            var billings = await Workflows.Workflows.WaitForEndAsync(billing, id);
            gate.SetResult();
            var shops = await Workflows.Workflows.WaitForEndAsync(shop, id);
            var billingsList = (await billing.Operations.ListWorkflowsAsync(new ListWorkflowsRequest())).Workflows;
            var operatorsList = (await billing.Operations.ListWorkflowsAsync(new ListWorkflowsRequest(), Operator)).Workflows;
            var shopsThroughBilling = (await billing.Operations.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = id, AppId = shopId }, Operator)).Workflow;

            Assert.Equal((StatusCode.NotFound, $"instance_id '{id}' names no workflow instance."), (get.StatusCode, get.Status.Detail));
            Assert.Equal((StatusCode.NotFound, $"instance_id '{id}' names no workflow instance."), (terminate.StatusCode, terminate.Status.Detail));
            Assert.Equal(StatusCode.NotFound, nobodys.StatusCode);
            Assert.Equal((WorkflowStatus.Completed, billingId), (billings.Status, billings.StartedBy));
            Assert.Equal((WorkflowStatus.Completed, shopId, ""), (shops.Status, shops.StartedBy, shops.TerminateReason));
            Assert.Equal([(billingId, id)], billingsList.Select(workflow => (workflow.StartedBy, workflow.InstanceId)));
            Assert.Equal([(billingId, id), (shopId, id)], operatorsList.Select(workflow => (workflow.StartedBy, workflow.InstanceId)).Order());
            Assert.Equal(shopId, shopsThroughBilling.StartedBy);
            Assert.Equal(["a:slow-reserve:s", "b:charge:b"], apps.Calls.Order(StringComparer.Ordinal));
        }
        finally
        {
            gate.TrySetResult();
        }
    }

    /// <summary>RabbitMQ, the stores and the journal on a schema of the test's own, and the operator token.</summary>
    private Dictionary<string, string?> Settings(string schema, Dictionary<string, string?>? more = null)
    {
        var settings = RabbitMqFixture.Settings(postgres.Settings(schema, more: more));
        settings["BusRuntime:OperatorToken"] = OperatorToken;
        return settings;
    }

    private static async Task SaveAsync(TestSidecar sidecar, string appId, params (string Key, string Content)[] items) =>
        await sidecar.Runtime.SaveConfigurationAsync(new SaveConfigurationRequest
        {
            StoreName = "configstore",
            AppId = appId,
            Items = { items.Select(item => new ConfigurationItem { Key = item.Key, Content = item.Content }) },
        });

    private static async Task<string> PublishAsync(TestSidecar sidecar, string topic, string json) =>
        (await sidecar.Runtime.PublishEventAsync(new PublishEventRequest { PubsubName = RabbitMqFixture.PubsubName, Topic = topic, Data = ByteString.CopyFromUtf8(json) })).MessageId;
}
