using System.Text;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Workflows;

/// <summary>
/// Workflows on the embedded default (in-memory bus and saga repository): the sidecar's own app serves every
/// step, and a named workflow from configuration is started with only an input.
/// </summary>
public sealed class WorkflowApiTests : IAsyncLifetime
{
    private InvokeApp? app;
    private TestSidecar? sidecar;

    private TestSidecar Sidecar => sidecar!;

    public async Task InitializeAsync()
    {
        app = await InvokeApp.StartAsync();
        app.Respond = (request, _) => request.Method == "fail"
            ? throw new RpcException(new Status(StatusCode.FailedPrecondition, "no"))
            : Task.FromResult(InvokeApp.Answer(ByteString.CopyFrom([.. request.Data.Value.Span, .. Encoding.UTF8.GetBytes(request.Method)]), "text/plain"));
        sidecar = await TestSidecar.StartAsync("orders", new Dictionary<string, string?>
        {
            ["BusRuntime:Workflows:checkout:Steps:0:AppId"] = "orders",
            ["BusRuntime:Workflows:checkout:Steps:0:Method"] = "-reserve",
            ["BusRuntime:Workflows:checkout:Steps:1:AppId"] = "orders",
            ["BusRuntime:Workflows:checkout:Steps:1:Method"] = "-ship",
            ["BusRuntime:Workflows:checkout:Steps:1:CompensationMethod"] = "-unship",
            ["BusRuntime:Workflows:greet:Steps:0:AppId"] = "orders",
            ["BusRuntime:Workflows:greet:Steps:0:Method"] = "!",
            ["BusRuntime:Workflows:greet:Steps:0:Data"] = "hello",
        }, app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
    }

    public async Task DisposeAsync()
    {
        await sidecar!.DisposeAsync();
        await app!.DisposeAsync();
    }

    [Fact]
    public async Task StartWorkflow_NamedInConfiguration_RunsItsStepsOnTheInput()
    {
        var id = (await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { WorkflowName = "checkout", Input = ByteString.CopyFromUtf8("order") })).InstanceId;
        var workflow = await WaitForEndAsync(id);

        Assert.Equal(WorkflowStatus.Completed, workflow.Status);
        Assert.Equal("checkout", workflow.WorkflowName);
        Assert.Equal("orders", workflow.StartedBy);
        Assert.Equal(["order", "order-reserve"], app!.Received.Select(call => call.Request.Data.Value.ToStringUtf8()));
        Assert.Equal(["-reserve", "-ship"], workflow.Steps.Select(step => step.Method));
        Assert.Equal("-unship", workflow.Steps[1].CompensationMethod);
        Assert.Equal("order-reserve-ship".Length, workflow.Steps[1].OutputSize);
    }

    [Fact]
    public async Task StartWorkflow_NamedWithData_UsesTheConfiguredDataNotTheInput()
    {
        var id = (await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { WorkflowName = "greet", Input = ByteString.CopyFromUtf8("ignored") })).InstanceId;
        var workflow = await WaitForEndAsync(id);

        Assert.Equal(WorkflowStatus.Completed, workflow.Status);
        Assert.Equal("hello", Assert.Single(app!.Received).Request.Data.Value.ToStringUtf8());
        Assert.Equal("hello!".Length, workflow.Steps[0].OutputSize);
    }

    [Fact]
    public async Task StartWorkflow_GivenInstanceId_ReturnsItAndGetFindsIt()
    {
        var id = $"order-{Guid.NewGuid():N}";

        var started = await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { InstanceId = id, Steps = { Step("orders", "a") } });
        var workflow = await WaitForEndAsync(id);

        Assert.Equal(id, started.InstanceId);
        Assert.Equal(id, workflow.InstanceId);
        Assert.Equal(WorkflowStatus.Completed, workflow.Status);
    }

    [Fact]
    public async Task StartWorkflow_StepTargetHasNoReplica_FailsWithUnavailableNamingTheApp()
    {
        var id = (await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { Steps = { Step("billing", "charge", "refund") } })).InstanceId;
        var workflow = await WaitForEndAsync(id);

        Assert.Equal(WorkflowStatus.Failed, workflow.Status);
        Assert.Equal("UNAVAILABLE", workflow.Error.Status);
        Assert.Equal("billing", workflow.Error.AppId);
        Assert.Contains("billing", workflow.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartWorkflow_NoStepsAndNoName_IsInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { Input = ByteString.CopyFromUtf8("x") }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("steps is empty", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartWorkflow_UnknownName_IsNotFoundListingTheConfiguredOnes()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { WorkflowName = "nope" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("'nope'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("checkout, greet", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "m", "steps[1].app_id is empty")]
    [InlineData("no.dots", "m", "steps[1].app_id 'no.dots'")]
    [InlineData("orders", "", "steps[1].method is empty")]
    [InlineData("orders", "pay\0", "steps[1].method: method contains '\\0' at position 3")]
    [InlineData("orders", "pay?now", "steps[1].method: method contains '?' at position 3")]
    public async Task StartWorkflow_BadStep_IsInvalidArgumentNamingTheField(string appId, string method, string expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { Steps = { Step("orders", "a"), Step(appId, method) } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartWorkflow_CompensationMethodThatCannotBeInvoked_IsInvalidArgumentNamingIt()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { Steps = { Step("orders", "reserve", "release\u0001") } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("steps[0].compensation_method: method contains a control character at position 7.", error.Status.Detail);
    }

    [Fact]
    public async Task StartWorkflow_MoreStepsThanTheMaximum_IsInvalidArgumentNamingIt()
    {
        var request = new StartWorkflowRequest();
        request.Steps.AddRange(Enumerable.Range(0, 101).Select(_ => Step("orders", "a")));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Sidecar.Runtime.StartWorkflowAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("steps has 101 steps, over the maximum of 100.", error.Status.Detail);
    }

    [Fact]
    public async Task StartWorkflow_BadInstanceId_IsInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { InstanceId = "has space", Steps = { Step("orders", "a") } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("instance_id 'has space'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartWorkflow_InputOverTheMaximum_IsInvalidArgument()
    {
        await using var small = await TestSidecar.StartAsync("small", new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "16" });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await small.Runtime.StartWorkflowAsync(new StartWorkflowRequest { Input = ByteString.CopyFrom(new byte[17]), Steps = { Step("small", "a") } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("input is 17 bytes", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartWorkflow_InputAndStepDataTogetherOverTheMaximum_IsInvalidArgument()
    {
        await using var small = await TestSidecar.StartAsync("small", new Dictionary<string, string?> { ["BusRuntime:MaxPayloadBytes"] = "16" });
        var withData = Step("small", "b");
        withData.Data = ByteString.CopyFrom(new byte[8]);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await small.Runtime.StartWorkflowAsync(new StartWorkflowRequest { Input = ByteString.CopyFrom(new byte[9]), Steps = { Step("small", "a"), withData } }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("input and the steps' data are 17 bytes together, over the maximum of 16 bytes", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartWorkflow_DuplicateInstanceId_IsAlreadyExists()
    {
        var id = $"dup-{Guid.NewGuid():N}";
        await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { InstanceId = id, Steps = { Step("orders", "a") } });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { InstanceId = id, Steps = { Step("orders", "b") } }));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains($"instance_id '{id}'", error.Status.Detail, StringComparison.Ordinal);
        await WaitForEndAsync(id);
        Assert.Equal(["a"], app!.Received.Select(call => call.Request.Method));
    }

    [Fact]
    public async Task GetWorkflow_UnknownInstance_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Sidecar.Runtime.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = "never-started" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("'never-started'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminateWorkflow_UnknownInstance_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Sidecar.Runtime.TerminateWorkflowAsync(new TerminateWorkflowRequest { InstanceId = "never-started", Reason = "x" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("'never-started'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminateWorkflow_EmptyInstanceId_IsInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Sidecar.Runtime.TerminateWorkflowAsync(new TerminateWorkflowRequest()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("instance_id is empty", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListWorkflows_ByStatus_ReturnsOnlyThatStatusNewestFirst()
    {
        var done = (await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { Steps = { Step("orders", "a") } })).InstanceId;
        var failed = (await Sidecar.Runtime.StartWorkflowAsync(new StartWorkflowRequest { Steps = { Step("orders", "fail") } })).InstanceId;
        await WaitForEndAsync(done);
        await WaitForEndAsync(failed);

        var onlyFailed = await Sidecar.Operations.ListWorkflowsAsync(new ListWorkflowsRequest { Status = "FAILED" });
        var all = await Sidecar.Operations.ListWorkflowsAsync(new ListWorkflowsRequest());

        Assert.Equal([failed], onlyFailed.Workflows.Select(workflow => workflow.InstanceId));
        Assert.Equal([failed, done], all.Workflows.Select(workflow => workflow.InstanceId));
        var bad = await Assert.ThrowsAsync<RpcException>(async () => await Sidecar.Operations.ListWorkflowsAsync(new ListWorkflowsRequest { Status = "DONE" }));
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Contains("status 'DONE'", bad.Status.Detail, StringComparison.Ordinal);
    }

    private static WorkflowStep Step(string appId, string method, string compensation = "") =>
        new() { AppId = appId, Method = method, CompensationMethod = compensation };

    private async Task<WorkflowInstance> WaitForEndAsync(string id)
    {
        WorkflowInstance? last = null;
        await Poll.UntilAsync(
            async () =>
            {
                last = (await Sidecar.Runtime.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = id })).Workflow;
                return last.Status is not (WorkflowStatus.Running or WorkflowStatus.Compensating);
            },
            TimeSpan.FromSeconds(60),
            () => $"workflow {id} is {last}");
        return last!;
    }
}
