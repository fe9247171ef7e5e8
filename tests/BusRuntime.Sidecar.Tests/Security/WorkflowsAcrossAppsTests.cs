using BusRuntime.Protos.V1;
using BusRuntime.Sagas.Messages;
using BusRuntime.Sagas.Workflows;
using BusRuntime.Sidecar.Tests.Commands;
using BusRuntime.Testing;
using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using WorkflowStep = BusRuntime.Protos.V1.WorkflowStep;

namespace BusRuntime.Sidecar.Tests.Security;

/// <summary>
/// Workflow instance ids are per app. On the sidecar of app "billing" (in-memory sagas), app "shop" starts instances
/// too, as its sidecar would on a saga endpoint both share: "shared" in both apps, "shops-only" in shop alone. Every
/// step calls an app nobody serves, so each instance soon ends FAILED.
/// </summary>
public sealed class WorkflowsAcrossAppsTests : IAsyncLifetime
{
    private const string Token = "op-s3cret";
    private static readonly Metadata Operator = new() { { "busruntime-operator-token", Token } };

    private TestSidecar? sidecar;

    private TestSidecar Billing => sidecar!;

    public async Task InitializeAsync()
    {
        sidecar = await TestSidecar.StartAsync("billing", new Dictionary<string, string?> { ["BusRuntime:OperatorToken"] = Token });
        await StartAsShopAsync("shared");
        await StartAsShopAsync("shops-only");
        await Billing.Runtime.StartWorkflowAsync(new StartWorkflowRequest { InstanceId = "shared", Steps = { Step() } });
    }

    public async Task DisposeAsync() => await sidecar!.DisposeAsync();

    [Fact]
    public async Task StartWorkflow_IdAnotherAppTook_IsAnInstanceOfThisApp()
    {
        var own = (await Billing.Runtime.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = "shared" })).Workflow;
        var shops = (await Billing.Operations.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = "shared", AppId = "shop" }, Operator)).Workflow;

        Assert.Equal("billing", own.StartedBy);
        Assert.Equal("shop", shops.StartedBy);
    }

    [Fact]
    public async Task GetWorkflow_IdOnlyAnotherAppStarted_IsNotFoundExactlyAsAnIdNobodyStarted()
    {
        var foreign = await Assert.ThrowsAsync<RpcException>(async () => await Billing.Runtime.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = "shops-only" }));
        var nobodys = await Assert.ThrowsAsync<RpcException>(async () => await Billing.Runtime.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = "nobodys" }));
        var operations = await Assert.ThrowsAsync<RpcException>(async () => await Billing.Operations.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = "shops-only" }));

        Assert.Equal((StatusCode.NotFound, "instance_id 'shops-only' names no workflow instance."), (foreign.StatusCode, foreign.Status.Detail));
        Assert.Equal((StatusCode.NotFound, "instance_id 'nobodys' names no workflow instance."), (nobodys.StatusCode, nobodys.Status.Detail));
        Assert.Equal(foreign.Status.Detail, operations.Status.Detail);
    }

    [Fact]
    public async Task TerminateWorkflow_IdOnlyAnotherAppStarted_IsNotFoundExactlyAsAnIdNobodyStartedAndLeavesItAlone()
    {
        var foreign = await Assert.ThrowsAsync<RpcException>(async () =>
            await Billing.Runtime.TerminateWorkflowAsync(new TerminateWorkflowRequest { InstanceId = "shops-only", Reason = "billing says so" }));
        var nobodys = await Assert.ThrowsAsync<RpcException>(async () =>
            await Billing.Runtime.TerminateWorkflowAsync(new TerminateWorkflowRequest { InstanceId = "nobodys" }));
        var shops = (await Billing.Operations.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = "shops-only", AppId = "shop" }, Operator)).Workflow;

        Assert.Equal((StatusCode.NotFound, "instance_id 'shops-only' names no workflow instance."), (foreign.StatusCode, foreign.Status.Detail));
        Assert.Equal(StatusCode.NotFound, nobodys.StatusCode);
        Assert.Equal("", shops.TerminateReason);
    }

    [Fact]
    public async Task GetWorkflow_AnotherAppNamedWithoutOperatorToken_IsPermissionDeniedOnBothServices()
    {
        var operations = await Assert.ThrowsAsync<RpcException>(async () =>
            await Billing.Operations.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = "shops-only", AppId = "shop" }));
        var runtime = await Assert.ThrowsAsync<RpcException>(async () =>
            await Billing.Runtime.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = "nobodys", AppId = "shop" }, Operator));

        Assert.Equal(StatusCode.PermissionDenied, operations.StatusCode);
        Assert.Equal(
            "app_id 'shop' is another app's: the sidecar of app 'billing' shows its own app's workflow instances only; every app's are shown through busruntime.v1.Operations with the operator token (busruntime-operator-token).",
            operations.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, runtime.StatusCode);
    }

    [Fact]
    public async Task ListWorkflows_WithoutOperatorTokenTheAppsOwn_WithItEveryAppsInstances()
    {
        var own = (await Billing.Operations.ListWorkflowsAsync(new ListWorkflowsRequest())).Workflows;
        var everyone = (await Billing.Operations.ListWorkflowsAsync(new ListWorkflowsRequest(), Operator)).Workflows;

        Assert.Equal([("billing", "shared")], own.Select(workflow => (workflow.StartedBy, workflow.InstanceId)));
        Assert.Equal([("billing", "shared"), ("shop", "shared"), ("shop", "shops-only")], everyone.Select(workflow => (workflow.StartedBy, workflow.InstanceId)).Order());
    }

    [Fact]
    public async Task WorkflowsShowCommand_AnotherAppsInstance_NotAllowedWithoutTheOperatorTokenShownWithIt()
    {
        var address = $"http://127.0.0.1:{Billing.GrpcPort}";

        var (deniedExit, _, denied) = await BuiltCommand.RunAsync(null, "workflows", "show", "shops-only", "--app", "shop", "--sidecar", address);
        var (shownExit, shown, _) = await BuiltCommand.RunAsync(
            new Dictionary<string, string?> { ["BUSRUNTIME_OPERATOR_TOKEN"] = Token }, "workflows", "show", "shops-only", "--app", "shop", "--json", "--sidecar", address);

        Assert.Equal(1, deniedExit);
        Assert.StartsWith("busruntime: not allowed: app_id 'shop' is another app's", denied, StringComparison.Ordinal);
        Assert.Contains("set BUSRUNTIME_OPERATOR_TOKEN", denied, StringComparison.Ordinal);
        Assert.Equal(0, shownExit);
        Assert.Contains("\"startedBy\": \"shop\"", shown, StringComparison.Ordinal);
    }

    private static WorkflowStep Step() => new() { AppId = "nobody", Method = "charge" };

    /// <summary>Starts an instance as shop's sidecar would: the saga keys it by shop's app id and the instance id.</summary>
    private async Task StartAsShopAsync(string instanceId)
    {
        var topology = Billing.Services.GetRequiredService<WorkflowTopology>();
        await topology.Require().WaitAsync(TimeSpan.FromSeconds(30));
        var client = Billing.Services.GetRequiredService<IBus>().CreateRequestClient<StartWorkflow>(topology.SagaAddress);
        var response = await client.GetResponse<WorkflowAccepted, WorkflowRejected>(new StartWorkflow
        {
            CorrelationId = WorkflowInstanceIds.ToCorrelationId("shop", instanceId),
            InstanceId = instanceId,
            StartedBy = "shop",
            Steps = [new Core.Workflows.WorkflowStep("nobody", "charge", null, null)],
        });
        Assert.True(response.Is(out Response<WorkflowAccepted>? _), $"shop's start of {instanceId} was rejected");
    }
}
