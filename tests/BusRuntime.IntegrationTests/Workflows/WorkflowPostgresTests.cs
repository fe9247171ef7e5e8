using BusRuntime.Protos.V1;
using BusRuntime.Testing;

namespace BusRuntime.IntegrationTests.Workflows;

/// <summary>
/// Workflows with the saga instances on PostgreSQL (run --postgres): shared saga and step queues (named for
/// the test), a schema of each test's own, three apps behind their own sidecars on RabbitMQ.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class WorkflowPostgresTests(RabbitMqFixture broker, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task StartWorkflow_OnPostgres_CompletesAndEverySidecarOfTheDeploymentSeesIt()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        var settings = Settings(entities);
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), settings);
        await using var other = await TestSidecar.StartAsync(RabbitMqFixture.Unique("other"), settings);

        var id = await Workflows.StartAsync(starter, "x", apps.Step(0, "reserve"), apps.Step(1, "charge"), apps.Step(2, "ship"));
        var workflow = await Workflows.WaitForEndAsync(other, id);

        Assert.Equal(WorkflowStatus.Completed, workflow.Status);
        Assert.Equal(["a:reserve:x", "b:charge:xa", "c:ship:xab"], apps.Calls);
        Assert.Equal([2, 3, 4], workflow.Steps.Select(step => step.OutputSize));
        var listed = await other.Operations.ListWorkflowsAsync(new ListWorkflowsRequest { Status = "COMPLETED" });
        Assert.Contains(id, listed.Workflows.Select(instance => instance.InstanceId));
    }

    [Fact]
    public async Task StartWorkflow_OnPostgres_ThirdStepFails_CompensatesInReverseOrder()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), Settings(entities));

        var id = await Workflows.StartAsync(starter, "x", apps.Step(0, "reserve", "release"), apps.Step(1, "charge", "refund"), apps.Step(2, "fail"));
        var workflow = await Workflows.WaitForEndAsync(starter, id);

        Assert.Equal(WorkflowStatus.Compensated, workflow.Status);
        Assert.Equal(["a:reserve:x", "b:charge:xa", "c:fail:xab", "b:refund:xab", "a:release:xa"], apps.Calls);
        Assert.Equal([WorkflowStepStatus.Compensated, WorkflowStepStatus.Compensated, WorkflowStepStatus.Failed], workflow.Steps.Select(step => step.Status));
    }

    [Fact]
    public async Task StartWorkflow_OnPostgres_CompensationFails_IsCompensationFailedWithTheReason()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), Settings(entities));

        var id = await Workflows.StartAsync(starter, "x", apps.Step(0, "reserve", "release"), apps.Step(1, "charge", "undo-fail"), apps.Step(2, "fail"));
        var workflow = await Workflows.WaitForEndAsync(starter, id);
        // The step's fault and the slip's compensation failure are separate events: the instance can end before
        // the fault that names the first error is applied.
        await Poll.UntilAsync(
            async () => (workflow = await Workflows.GetAsync(starter, id)).Error is not null,
            TimeSpan.FromSeconds(30),
            () => "the first error is not recorded");

        Assert.Equal(WorkflowStatus.CompensationFailed, workflow.Status);
        Assert.Contains("the refund service is down", workflow.CompensationError, StringComparison.Ordinal);
        Assert.Equal("FAILED_PRECONDITION", workflow.Error.Status);
        Assert.Equal(2, workflow.Error.Step);
        // Courier stops compensating at the failed compensation: step 0 is not undone.
        Assert.Equal(["a:reserve:x", "b:charge:xa", "c:fail:xab", "b:undo-fail:xab"], apps.Calls);
        await Poll.UntilAsync(
            async () => (await Workflows.GetAsync(starter, id)).Steps[1].Status == WorkflowStepStatus.CompensationFailed,
            TimeSpan.FromSeconds(30),
            () => "step 1 is not marked COMPENSATION_FAILED");
        var steps = (await Workflows.GetAsync(starter, id)).Steps;
        Assert.Equal([WorkflowStepStatus.Completed, WorkflowStepStatus.CompensationFailed, WorkflowStepStatus.Failed], steps.Select(step => step.Status));
    }

    [Fact]
    public async Task TerminateWorkflow_OnPostgres_FromAnotherSidecarWhileTheSecondStepRuns_CompensatesBothAndRunsNoFurtherStep()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        var settings = Settings(entities);
        await using var starter = await TestSidecar.StartAsync(RabbitMqFixture.Unique("starter"), settings);
        await using var other = await TestSidecar.StartAsync(RabbitMqFixture.Unique("other"), settings);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        apps.Gates["slow-charge"] = gate;
        try
        {
            var id = await Workflows.StartAsync(starter, "x", apps.Step(0, "reserve", "release"), apps.Step(1, "slow-charge", "refund"), apps.Step(2, "ship"));
            await Poll.UntilAsync(() => apps.Calls.Count == 2, TimeSpan.FromSeconds(60), () => string.Join(", ", apps.Calls));

            // The flag is saved in PostgreSQL by whichever sidecar's saga endpoint takes the request, and read
            // there by the step activity on whichever sidecar runs the next step.
            await other.Runtime.TerminateWorkflowAsync(new TerminateWorkflowRequest { InstanceId = id, Reason = "customer cancelled" }, deadline: DateTime.UtcNow.AddSeconds(30));
            gate.SetResult();
            var workflow = await Workflows.WaitForEndAsync(starter, id);

            Assert.Equal(WorkflowStatus.Terminated, workflow.Status);
            Assert.Equal("customer cancelled", workflow.TerminateReason);
            Assert.Equal(["a:reserve:x", "b:slow-charge:xa", "b:refund:xab", "a:release:xa"], apps.Calls);
            Assert.Equal([WorkflowStepStatus.Compensated, WorkflowStepStatus.Compensated, WorkflowStepStatus.Pending], workflow.Steps.Select(step => step.Status));
            Assert.Equal("CANCELLED", workflow.Error.Status);
            var again = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(async () =>
                await other.Runtime.TerminateWorkflowAsync(new TerminateWorkflowRequest { InstanceId = id }, deadline: DateTime.UtcNow.AddSeconds(30)));
            Assert.Equal(global::Grpc.Core.StatusCode.FailedPrecondition, again.StatusCode);
        }
        finally
        {
            gate.TrySetResult();
        }
    }

    [Fact]
    public async Task StartWorkflow_OnPostgres_DuplicateInstanceIdFromAnotherSidecar_IsAlreadyExists()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        var settings = Settings(entities);
        await using var first = await TestSidecar.StartAsync(RabbitMqFixture.Unique("first"), settings);
        await using var second = await TestSidecar.StartAsync(RabbitMqFixture.Unique("second"), settings);
        var id = $"order-{Guid.NewGuid():N}";
        await first.Runtime.StartWorkflowAsync(new StartWorkflowRequest { InstanceId = id, Steps = { apps.Step(0, "reserve") } }, deadline: DateTime.UtcNow.AddSeconds(60));

        var error = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(async () =>
            await second.Runtime.StartWorkflowAsync(new StartWorkflowRequest { InstanceId = id, Steps = { apps.Step(1, "charge") } }, deadline: DateTime.UtcNow.AddSeconds(60)));

        Assert.Equal(global::Grpc.Core.StatusCode.AlreadyExists, error.StatusCode);
        await Workflows.WaitForEndAsync(first, id);
        Assert.Equal(["a:reserve:"], apps.Calls);
    }

    [Fact]
    public async Task StartWorkflow_OnPostgres_TwoHundredInParallelOverTwoSidecars_AllEndConsistent()
    {
        const int count = 200;
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        var settings = Settings(entities);
        await using var left = await TestSidecar.StartAsync(RabbitMqFixture.Unique("left"), settings);
        await using var right = await TestSidecar.StartAsync(RabbitMqFixture.Unique("right"), settings);
        using var throttle = new SemaphoreSlim(32);

        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(async index =>
        {
            await throttle.WaitAsync();
            try
            {
                var last = index % 4 == 0 ? apps.Step(2, "fail") : apps.Step(2, "ship");
                return await Workflows.StartAsync(index % 2 == 0 ? left : right, $"w{index}-", apps.Step(0, "reserve", "release"), apps.Step(1, "charge", "refund"), last);
            }
            finally
            {
                throttle.Release();
            }
        }));
        for (var index = 0; index < count; index++)
        {
            var workflow = await Workflows.WaitForEndAsync(left, ids[index], TimeSpan.FromMinutes(5));
            var size = $"w{index}-".Length;
            if (index % 4 == 0)
            {
                Assert.True(workflow.Status == WorkflowStatus.Compensated, $"workflow {index}: {workflow}");
                Assert.Equal([WorkflowStepStatus.Compensated, WorkflowStepStatus.Compensated, WorkflowStepStatus.Failed], workflow.Steps.Select(step => step.Status));
            }
            else
            {
                Assert.True(workflow.Status == WorkflowStatus.Completed, $"workflow {index}: {workflow}");
                Assert.Equal([size + 1, size + 2, size + 3], workflow.Steps.Select(step => step.OutputSize));
            }
        }

        Assert.Equal(count, apps.Calls.Count(call => call.StartsWith("a:reserve:", StringComparison.Ordinal)));
        Assert.Equal(count, apps.Calls.Count(call => call.StartsWith("b:charge:", StringComparison.Ordinal)));
        Assert.Equal(count / 4, apps.Calls.Count(call => call.StartsWith("a:release:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SidecarStoppedBetweenSteps_RestartedWorkflowContinues_NoStepLostOrRepeated()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        var settings = Settings(entities);
        var starterId = RabbitMqFixture.Unique("starter");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        apps.Gates["reserve"] = gate;
        string id;
        var starter = await TestSidecar.StartAsync(starterId, settings);
        try
        {
            id = await Workflows.StartAsync(starter, "x", apps.Step(0, "reserve", "release"), apps.Step(1, "charge", "refund"), apps.Step(2, "ship"));
            await Poll.UntilAsync(() => apps.Calls.Count == 1, TimeSpan.FromSeconds(60), () => string.Join(", ", apps.Calls));

            // The sidecar stops while step 0 is in flight: it finishes that step (forwarding the routing slip to
            // the shared queue) and takes no further step; the next one waits in the queue while it is down.
            var stopping = starter.DisposeAsync().AsTask();
            await Task.Delay(TimeSpan.FromSeconds(1));
            gate.SetResult();
            await stopping;
        }
        catch
        {
            gate.TrySetResult();
            await starter.DisposeAsync();
            throw;
        }

        Assert.Equal(["a:reserve:x"], apps.Calls);
        await using var restarted = await TestSidecar.StartAsync(starterId, settings);
        var workflow = await Workflows.WaitForEndAsync(restarted, id);

        Assert.Equal(WorkflowStatus.Completed, workflow.Status);
        Assert.Equal(["a:reserve:x", "b:charge:xa", "c:ship:xab"], apps.Calls);
        Assert.Equal([2, 3, 4], workflow.Steps.Select(step => step.OutputSize));
    }

    [Fact]
    public async Task SidecarStoppedWhileAStepOutlastsTheShutdownTimeout_StepRunsAgainAfterRestart_NotCompensated()
    {
        await using var entities = broker.Track();
        await using var apps = await WorkflowApps.StartAsync(entities);
        var settings = Settings(entities);
        settings["BusRuntime:ShutdownTimeout"] = "00:00:02";
        var starterId = RabbitMqFixture.Unique("starter");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        apps.Gates["reserve"] = gate;
        string id;
        try
        {
            var starter = await TestSidecar.StartAsync(starterId, settings);
            try
            {
                id = await Workflows.StartAsync(starter, "x", apps.Step(0, "reserve", "release"), apps.Step(1, "charge", "refund"), apps.Step(2, "ship"));
                await Poll.UntilAsync(() => apps.Calls.Count == 1, TimeSpan.FromSeconds(60), () => string.Join(", ", apps.Calls));
            }
            finally
            {
                // Step 0 still waits on the app when the 2 s shutdown timeout ends: the stop cancels it, and
                // its message goes back to the shared queue instead of failing the workflow.
                await starter.DisposeAsync();
            }

            Assert.Equal(["a:reserve:x"], apps.Calls);
            await using var restarted = await TestSidecar.StartAsync(starterId, settings);
            WorkflowInstance? before = null;
            await Poll.UntilAsync(
                async () =>
                {
                    before = await Workflows.GetAsync(restarted, id);
                    return apps.Calls.Count == 2;
                },
                TimeSpan.FromSeconds(60),
                () => $"calls: {string.Join(", ", apps.Calls)}; workflow: {before}");
            gate.SetResult();
            var workflow = await Workflows.WaitForEndAsync(restarted, id);

            Assert.Equal(WorkflowStatus.Completed, workflow.Status);
            Assert.Null(workflow.Error);
            Assert.All(workflow.Steps, step => Assert.Equal(WorkflowStepStatus.Completed, step.Status));
            Assert.Equal(["a:reserve:x", "a:reserve:x", "b:charge:xa", "c:ship:xab"], apps.Calls);
            Assert.Equal([2, 3, 4], workflow.Steps.Select(step => step.OutputSize));
        }
        finally
        {
            gate.TrySetResult();
        }
    }

    [Fact]
    public async Task DeadLetters_OnPostgres_TheSharedWorkflowQueuesAreOperatorsQueuesToo()
    {
        await using var entities = broker.Track();
        var settings = Settings(entities);
        var prefix = settings["BusRuntime:WorkflowQueuePrefix"];
        await using var sidecar = await TestSidecar.StartAsync(RabbitMqFixture.Unique("operated"), settings);

        var listed = await sidecar.Operations.ListDeadLettersAsync(new ListDeadLettersRequest());
        var one = await sidecar.Operations.ListDeadLettersAsync(new ListDeadLettersRequest { Queue = $"{prefix}-saga" });
        var foreign = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(async () =>
            await sidecar.Operations.RedriveDeadLetterAsync(new RedriveDeadLetterRequest { Queue = "someone-else-saga" }));

        Assert.Equal(
            [$"{prefix}-saga_error", $"{prefix}-step_compensate_error", $"{prefix}-step_execute_error"],
            listed.Queues.Select(queue => queue.Name).Order(StringComparer.Ordinal));
        Assert.Equal($"{prefix}-saga", Assert.Single(one.Queues).SourceQueue);
        Assert.Equal(global::Grpc.Core.StatusCode.InvalidArgument, foreign.StatusCode);
        Assert.Contains($"{prefix}-saga", foreign.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>A schema and shared workflow queues of this test's own.</summary>
    private Dictionary<string, string?> Settings(BusEntities entities)
    {
        var prefix = RabbitMqFixture.Unique("wf");
        foreach (var suffix in new[] { "saga", "step_execute", "step_compensate" })
        {
            entities.Queue($"{prefix}-{suffix}");
        }

        return RabbitMqFixture.Settings(postgres.Settings(postgres.Server.NewSchema(), more: new Dictionary<string, string?> { ["BusRuntime:WorkflowQueuePrefix"] = prefix }));
    }
}
