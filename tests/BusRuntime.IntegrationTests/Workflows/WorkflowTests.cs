using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Workflows;

/// <summary>
/// Workflows on RabbitMQ with the in-memory saga repository: a starter sidecar runs the saga and the steps on
/// queues of its own and invokes three apps behind their own sidecars.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class WorkflowTests(RabbitMqFixture broker)
{
    [Fact]
    public async Task StartWorkflow_ThreeSteps_CompletesWithOutputsChained()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), RabbitMqFixture.Settings());

        var id = await Workflows.StartAsync(starter, "x", apps.Step(0, "reserve"), apps.Step(1, "charge"), apps.Step(2, "ship"));
        var workflow = await Workflows.WaitForEndAsync(starter, id);

        Assert.Equal(WorkflowStatus.Completed, workflow.Status);
        Assert.Equal(["a:reserve:x", "b:charge:xa", "c:ship:xab"], apps.Calls);
        Assert.Equal(3, workflow.CurrentStep);
        Assert.All(workflow.Steps, step => Assert.Equal(WorkflowStepStatus.Completed, step.Status));
        Assert.Equal([2, 3, 4], workflow.Steps.Select(step => step.OutputSize));
        var headers = apps.Apps.Select(app => Assert.Single(app.Received).Headers).ToList();
        Assert.All(headers, received => Assert.Equal(id, received["busruntime-workflow-instance-id"]));
        Assert.Equal(["0", "1", "2"], headers.Select(received => received["busruntime-workflow-step"]));
        Assert.Null(workflow.Error);
        Assert.NotNull(workflow.EndedAt);
        Assert.True(workflow.EndedAt.ToDateTimeOffset() >= workflow.StartedAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task StartWorkflow_StepWithOwnData_GetsItInsteadOfThePreviousOutput()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), RabbitMqFixture.Settings());
        var second = apps.Step(1, "charge");
        second.Data = Google.Protobuf.ByteString.CopyFromUtf8("own");

        var id = await Workflows.StartAsync(starter, "x", apps.Step(0, "reserve"), second, apps.Step(2, "ship"));
        var workflow = await Workflows.WaitForEndAsync(starter, id);

        Assert.Equal(WorkflowStatus.Completed, workflow.Status);
        Assert.Equal(["a:reserve:x", "b:charge:own", "c:ship:ownb"], apps.Calls);
    }

    [Fact]
    public async Task StartWorkflow_ThirdStepFails_CompensatesSecondThenFirstWithTheirOutputs()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), RabbitMqFixture.Settings());

        var id = await Workflows.StartAsync(starter, "x", apps.Step(0, "reserve", "release"), apps.Step(1, "charge", "refund"), apps.Step(2, "fail", "never"));
        var workflow = await Workflows.WaitForEndAsync(starter, id);

        Assert.Equal(WorkflowStatus.Compensated, workflow.Status);
        Assert.Equal(["a:reserve:x", "b:charge:xa", "c:fail:xab", "b:refund:xab", "a:release:xa"], apps.Calls);
        Assert.Equal(
            [WorkflowStepStatus.Compensated, WorkflowStepStatus.Compensated, WorkflowStepStatus.Failed],
            workflow.Steps.Select(step => step.Status));
        Assert.Equal(2, workflow.Error.Step);
        Assert.Equal(apps.AppIds[2], workflow.Error.AppId);
        Assert.Equal("FAILED_PRECONDITION", workflow.Error.Status);
        Assert.Contains("out of stock", workflow.Error.Message, StringComparison.Ordinal);
        Assert.Equal("FAILED_PRECONDITION", workflow.Steps[2].ErrorStatus);
        Assert.Equal(2, workflow.CurrentStep);
    }

    [Fact]
    public async Task StartWorkflow_FirstStepFailsWithNothingToCompensate_IsFailed()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), RabbitMqFixture.Settings());

        var id = await Workflows.StartAsync(starter, "x", apps.Step(0, "fail", "release"), apps.Step(1, "charge"));
        var workflow = await Workflows.WaitForEndAsync(starter, id);

        Assert.Equal(WorkflowStatus.Failed, workflow.Status);
        Assert.Equal(["a:fail:x"], apps.Calls);
        Assert.Equal([WorkflowStepStatus.Failed, WorkflowStepStatus.Pending], workflow.Steps.Select(step => step.Status));
    }

    [Fact]
    public async Task StartWorkflow_CompensationFails_IsCompensationFailedWithTheReason()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), RabbitMqFixture.Settings());

        var id = await Workflows.StartAsync(starter, "x", apps.Step(0, "reserve", "release"), apps.Step(1, "charge", "undo-fail"), apps.Step(2, "fail"));
        var workflow = await Workflows.WaitForEndAsync(starter, id);

        Assert.Equal(WorkflowStatus.CompensationFailed, workflow.Status);
        Assert.Contains("the refund service is down", workflow.CompensationError, StringComparison.Ordinal);
        Assert.Equal("FAILED_PRECONDITION", workflow.Error.Status);
        Assert.Equal(["a:reserve:x", "b:charge:xa", "c:fail:xab", "b:undo-fail:xab"], apps.Calls);
        await Poll.UntilAsync(
            async () => (await Workflows.GetAsync(starter, id)).Steps[1].Status == WorkflowStepStatus.CompensationFailed,
            TimeSpan.FromSeconds(30),
            () => "step 1 is not marked COMPENSATION_FAILED");
        Assert.Equal("INTERNAL", (await Workflows.GetAsync(starter, id)).Steps[1].ErrorStatus);
    }

    [Fact]
    public async Task TerminateWorkflow_WhileSecondStepRuns_RunsNoFurtherStepAndCompensatesBoth()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), RabbitMqFixture.Settings());
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        apps.Gates["slow-charge"] = gate;

        var id = await Workflows.StartAsync(starter, "x", apps.Step(0, "reserve", "release"), apps.Step(1, "slow-charge", "refund"), apps.Step(2, "ship"));
        await Poll.UntilAsync(() => apps.Calls.Count == 2, TimeSpan.FromSeconds(60), () => string.Join(", ", apps.Calls));
        await starter.Runtime.TerminateWorkflowAsync(new TerminateWorkflowRequest { InstanceId = id, Reason = "customer cancelled" }, deadline: DateTime.UtcNow.AddSeconds(30));
        gate.SetResult();
        var workflow = await Workflows.WaitForEndAsync(starter, id);

        Assert.Equal(WorkflowStatus.Terminated, workflow.Status);
        Assert.Equal("customer cancelled", workflow.TerminateReason);
        Assert.Equal(["a:reserve:x", "b:slow-charge:xa", "b:refund:xab", "a:release:xa"], apps.Calls);
        Assert.Equal(
            [WorkflowStepStatus.Compensated, WorkflowStepStatus.Compensated, WorkflowStepStatus.Pending],
            workflow.Steps.Select(step => step.Status));
        Assert.Equal("CANCELLED", workflow.Error.Status);
        Assert.Equal(2, workflow.Error.Step);

        var again = await Assert.ThrowsAsync<RpcException>(async () =>
            await starter.Runtime.TerminateWorkflowAsync(new TerminateWorkflowRequest { InstanceId = id }, deadline: DateTime.UtcNow.AddSeconds(30)));
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
    }

    [Fact]
    public async Task StartWorkflow_TwoHundredInParallel_AllEndWithConsistentStepRecords()
    {
        const int count = 200;
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), RabbitMqFixture.Settings());
        using var throttle = new SemaphoreSlim(32);

        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(async index =>
        {
            await throttle.WaitAsync();
            try
            {
                // Every fourth workflow fails at its last step and compensates the other two.
                var last = index % 4 == 0 ? apps.Step(2, "fail") : apps.Step(2, "ship");
                return (Index: index, Id: await Workflows.StartAsync(starter, $"w{index}-", apps.Step(0, "reserve", "release"), apps.Step(1, "charge", "refund"), last));
            }
            finally
            {
                throttle.Release();
            }
        }));
        var workflows = new List<(int Index, WorkflowInstance Workflow)>();
        foreach (var (index, id) in ids)
        {
            workflows.Add((index, await Workflows.WaitForEndAsync(starter, id, TimeSpan.FromMinutes(5))));
        }

        Assert.Equal(count, ids.Select(pair => pair.Id).Distinct().Count());
        foreach (var (index, workflow) in workflows)
        {
            var size = $"w{index}-".Length;
            if (index % 4 == 0)
            {
                Assert.Equal(WorkflowStatus.Compensated, workflow.Status);
                Assert.Equal([WorkflowStepStatus.Compensated, WorkflowStepStatus.Compensated, WorkflowStepStatus.Failed], workflow.Steps.Select(step => step.Status));
                Assert.Equal([size + 1, size + 2], workflow.Steps.Take(2).Select(step => step.OutputSize));
            }
            else
            {
                Assert.Equal(WorkflowStatus.Completed, workflow.Status);
                Assert.Equal([size + 1, size + 2, size + 3], workflow.Steps.Select(step => step.OutputSize));
            }
        }

        // Each step ran exactly once per workflow, and each compensation once per failed one.
        Assert.Equal(count, apps.Calls.Count(call => call.StartsWith("a:reserve:", StringComparison.Ordinal)));
        Assert.Equal(count / 4, apps.Calls.Count(call => call.StartsWith("a:release:", StringComparison.Ordinal)));
        Assert.Equal(count / 4, apps.Calls.Count(call => call.StartsWith("b:refund:", StringComparison.Ordinal)));
    }
}
