using System.Text;
using BusRuntime.Contracts;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Workflows;
using BusRuntime.Sagas.Activities;
using BusRuntime.Sagas.Messages;
using BusRuntime.Sagas.Workflows;
using MassTransit;
using MassTransit.Courier.Contracts;

namespace BusRuntime.Sagas.Tests.Workflows;

public sealed class WorkflowStateMachineTests : IAsyncLifetime
{
    private WorkflowHarness harness = null!;

    public async Task InitializeAsync() => harness = await WorkflowHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Start_NewInstance_IsRunningAndSendsOneRoutingSlipWithEveryStep()
    {
        var id = Id();

        var response = await harness.StartAsync(id, "in"u8.ToArray(), Steps());

        Assert.True(response.Is(out Response<WorkflowAccepted>? accepted));
        Assert.Equal("RUNNING", accepted.Message.Status);
        var instance = await harness.WaitForAsync(id, state => state.CurrentState == nameof(WorkflowStatus.Running));
        Assert.Equal(3, instance.Steps.Count);
        Assert.All(instance.Steps, step => Assert.Equal(WorkflowStepStatus.Pending, step.Status));
        Assert.Equal(2, instance.InputSize);
        var slip = Assert.Single(await SlipsAsync());
        Assert.Equal(WorkflowInstanceIds.ToCorrelationId("tests", id), slip.TrackingNumber);
        Assert.Equal(["step-0", "step-1", "step-2"], slip.Itinerary.Select(activity => activity.Name));
        Assert.Equal(Convert.ToBase64String("in"u8.ToArray()), slip.Variables[StepActivity.DataVariable]?.ToString());
        Assert.False(slip.Itinerary[0].Arguments.ContainsKey(nameof(StepArguments.Data)));
        Assert.Equal(Convert.ToBase64String("own"u8.ToArray()), slip.Itinerary[1].Arguments[nameof(StepArguments.Data)]?.ToString());
        Assert.Equal("undo-b", slip.Itinerary[1].Arguments[nameof(StepArguments.CompensationMethod)]?.ToString());
        var subscription = Assert.Single(slip.Subscriptions);
        Assert.Equal(WorkflowRoutingSlips.SagaEvents, subscription.Events);
    }

    [Fact]
    public async Task Start_SameInstanceIdAgain_IsRejectedAsAlreadyExists()
    {
        var id = Id();
        await harness.StartAsync(id, [], Steps());

        var response = await harness.StartAsync(id, [], Steps());

        Assert.True(response.Is(out Response<WorkflowRejected>? rejected));
        Assert.Equal(ErrorCode.AlreadyExists, rejected.Message.Code);
        Assert.Contains(id, rejected.Message.Message, StringComparison.Ordinal);
        Assert.Single(await SlipsAsync());
    }

    [Fact]
    public async Task Start_RedeliveredBeforeAnyStepWasHeardOf_IsAcceptedAndSendsTheRoutingSlipAgain()
    {
        var id = Id();
        var messageId = NewId.NextGuid();
        await harness.StartAsync(messageId, id, "in"u8.ToArray(), Steps());

        // As after a sidecar died between saving the instance and its outbox sending the slip.
        var again = await harness.StartAsync(messageId, id, "in"u8.ToArray(), Steps());

        Assert.True(again.Is(out Response<WorkflowAccepted>? accepted));
        Assert.Equal("RUNNING", accepted.Message.Status);
        var slips = await SlipsAsync();
        Assert.Equal(2, slips.Count);
        Assert.All(slips, slip => Assert.Equal(WorkflowInstanceIds.ToCorrelationId("tests", id), slip.TrackingNumber));
    }

    [Fact]
    public async Task Start_RedeliveredAfterAStepCompleted_IsAcceptedWithoutASecondRoutingSlip()
    {
        var id = Id();
        var messageId = NewId.NextGuid();
        await harness.StartAsync(messageId, id, [], Steps());
        await harness.StepCompletedAsync(id, 0, 10);
        await harness.WaitForAsync(id, state => state.CurrentStep == 1);

        var again = await harness.StartAsync(messageId, id, [], Steps());

        Assert.True(again.Is(out Response<WorkflowAccepted>? _));
        Assert.Single(await SlipsAsync());
    }

    [Fact]
    public async Task SlipCompletedRedelivered_StaysCompletedAndPublishesWorkflowEndedAgain()
    {
        var id = Id();
        await harness.StartAsync(id, [], Steps());
        await harness.SlipCompletedAsync(id, Sizes(1, 2, 3));
        var ended = await harness.WaitForAsync(id, state => state.CurrentState == nameof(WorkflowStatus.Completed));
        var endedAt = ended.EndedAt;

        await harness.SlipCompletedAsync(id, Sizes(1, 2, 3));
        await Poll(async () => await Count<WorkflowEnded>(message => message.InstanceId == id) == 2);

        var instance = await harness.WaitForAsync(id, state => state.CurrentState == nameof(WorkflowStatus.Completed));
        Assert.Equal(endedAt, instance.EndedAt);
    }

    [Fact]
    public async Task StepsThenSlipCompleted_IsCompletedWithOutputSizesAndPublishesWorkflowEnded()
    {
        var id = Id();
        await harness.StartAsync(id, [], Steps());

        await harness.StepCompletedAsync(id, 0, 10);
        await harness.WaitForAsync(id, state => state.CurrentStep == 1);
        await harness.StepCompletedAsync(id, 1, 20);
        await harness.StepCompletedAsync(id, 2, 30);
        await harness.SlipCompletedAsync(id, Sizes(10, 20, 30));
        var instance = await harness.WaitForAsync(id, state => state.CurrentState == nameof(WorkflowStatus.Completed));

        Assert.Equal([10, 20, 30], instance.Steps.Select(step => step.OutputSize));
        Assert.All(instance.Steps, step => Assert.Equal(WorkflowStepStatus.Completed, step.Status));
        Assert.Equal(3, instance.CurrentStep);
        Assert.NotNull(instance.EndedAt);
        Assert.True(await harness.Harness.Published.Any<WorkflowEnded>(message => message.Context.Message.InstanceId == id && message.Context.Message.Status == "COMPLETED"));
    }

    [Fact]
    public async Task SlipCompletedBeforeTheLastStepsEvent_TakesEverySizeFromTheSlipsVariables()
    {
        var id = Id();
        await harness.StartAsync(id, [], Steps());

        await harness.SlipCompletedAsync(id, Sizes(1, 2, 3));
        await harness.WaitForAsync(id, state => state.CurrentState == nameof(WorkflowStatus.Completed));
        await harness.StepCompletedAsync(id, 2, 3);
        await harness.StepCompensatedAsync(id, 0);
        var instance = await harness.WaitForAsync(id, state => state.Steps[0].Status == WorkflowStepStatus.Compensated);

        Assert.Equal(nameof(WorkflowStatus.Completed), instance.CurrentState);
        Assert.Equal([1, 2, 3], instance.Steps.Select(step => step.OutputSize));
    }

    [Fact]
    public async Task StepFaultedAfterCompensableSteps_IsCompensatingThenCompensatedWithTheStepsError()
    {
        var id = Id();
        await harness.StartAsync(id, [], Steps());
        await harness.StepCompletedAsync(id, 0, 4);
        await harness.StepCompletedAsync(id, 1, 5);
        await harness.WaitForAsync(id, state => state.CurrentStep == 2);

        await harness.StepFaultedAsync(id, 2, new StepFailedException("FAILED_PRECONDITION", "out of stock", null));
        var compensating = await harness.WaitForAsync(id, state => state.CurrentState == nameof(WorkflowStatus.Compensating));
        Assert.Equal(new WorkflowError(2, "c", "FAILED_PRECONDITION", "out of stock"), compensating.Error);

        await harness.SlipFaultedAsync(id, 2, new StepFailedException("FAILED_PRECONDITION", "out of stock", null), Sizes(4, 5));
        var instance = await harness.WaitForAsync(id, state => state.CurrentState == nameof(WorkflowStatus.Compensated));

        Assert.Equal(
            [WorkflowStepStatus.Compensated, WorkflowStepStatus.Compensated, WorkflowStepStatus.Failed],
            instance.Steps.Select(step => step.Status));
        Assert.Equal("FAILED_PRECONDITION", instance.Steps[2].ErrorStatus);
        Assert.Equal(2, instance.CurrentStep);
        Assert.NotNull(instance.EndedAt);
    }

    [Fact]
    public async Task StepFaultedBeforeTheEarlierStepsCompletedEvents_IsCompensatingAtOnce()
    {
        var id = Id();
        await harness.StartAsync(id, [], Steps());

        // Courier's events overtake each other: the fault of step 2 arrives before steps 0 and 1 completed.
        await harness.StepFaultedAsync(id, 2, new StepFailedException("FAILED_PRECONDITION", "out of stock", null), Sizes(4, 5));
        var compensating = await harness.WaitForAsync(id, state => state.CurrentState == nameof(WorkflowStatus.Compensating));

        Assert.Equal([WorkflowStepStatus.Completed, WorkflowStepStatus.Completed, WorkflowStepStatus.Failed], compensating.Steps.Select(step => step.Status));
        Assert.Equal([4, 5], compensating.Steps.Take(2).Select(step => step.OutputSize));
    }

    [Fact]
    public async Task FirstStepFaulted_NothingToCompensate_IsFailed()
    {
        var id = Id();
        await harness.StartAsync(id, [], Steps());

        await harness.StepFaultedAsync(id, 0, new StepFailedException("UNAVAILABLE", "no replica of app 'a'", null));
        await harness.SlipFaultedAsync(id, 0, new StepFailedException("UNAVAILABLE", "no replica of app 'a'", null), []);
        var instance = await harness.WaitForAsync(id, state => state.CurrentState == nameof(WorkflowStatus.Failed));

        Assert.Equal(new WorkflowError(0, "a", "UNAVAILABLE", "no replica of app 'a'"), instance.Error);
        Assert.Equal([WorkflowStepStatus.Failed, WorkflowStepStatus.Pending, WorkflowStepStatus.Pending], instance.Steps.Select(step => step.Status));
    }

    [Fact]
    public async Task Terminate_WhileRunning_RecordsTheReasonAndEndsTerminatedWhenTheSlipFaults()
    {
        var id = Id();
        await harness.StartAsync(id, [], Steps());
        await harness.StepCompletedAsync(id, 0, 4);
        await harness.WaitForAsync(id, state => state.CurrentStep == 1);

        var response = await harness.TerminateAsync(id, "customer cancelled");
        Assert.True(response.Is(out Response<WorkflowAccepted>? _));
        Assert.Equal("customer cancelled", (await harness.WaitForAsync(id, state => state.TerminateReason is not null)).TerminateReason);

        await harness.StepFaultedAsync(id, 1, new WorkflowTerminatedException("the workflow was terminated before step 1 ran: customer cancelled"));
        await harness.SlipFaultedAsync(id, 1, new WorkflowTerminatedException("the workflow was terminated before step 1 ran: customer cancelled"), Sizes(4));
        var instance = await harness.WaitForAsync(id, state => state.CurrentState == nameof(WorkflowStatus.Terminated));

        Assert.Equal([WorkflowStepStatus.Compensated, WorkflowStepStatus.Pending, WorkflowStepStatus.Pending], instance.Steps.Select(step => step.Status));
        Assert.Equal("CANCELLED", instance.Error?.Status);
        Assert.Equal(1, instance.Error?.Step);
    }

    [Fact]
    public async Task Terminate_UnknownInstance_IsRejectedAsNotFound()
    {
        var response = await harness.TerminateAsync(Id(), "x");

        Assert.True(response.Is(out Response<WorkflowRejected>? rejected));
        Assert.Equal(ErrorCode.NotFound, rejected.Message.Code);
    }

    [Fact]
    public async Task Terminate_EndedInstance_IsRejectedAsFailedPrecondition()
    {
        var id = Id();
        await harness.StartAsync(id, [], Steps());
        await harness.SlipCompletedAsync(id, Sizes(1, 1, 1));
        await harness.WaitForAsync(id, state => state.CurrentState == nameof(WorkflowStatus.Completed));

        var response = await harness.TerminateAsync(id, "too late");

        Assert.True(response.Is(out Response<WorkflowRejected>? rejected));
        Assert.Equal(ErrorCode.FailedPrecondition, rejected.Message.Code);
        Assert.Contains("COMPLETED", rejected.Message.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlipCompensationFailed_IsCompensationFailedWithTheReason()
    {
        var id = Id();
        await harness.StartAsync(id, [], Steps());
        await harness.StepCompletedAsync(id, 0, 4);
        await harness.StepFaultedAsync(id, 1, new StepFailedException("INTERNAL", "boom", null));

        await harness.SlipCompensationFailedAsync(id, new StepFailedException("INTERNAL", "compensation undo-a of step 0 on app 'a' failed: refund service down", null));
        var instance = await harness.WaitForAsync(id, state => state.CurrentState == nameof(WorkflowStatus.CompensationFailed));

        Assert.Equal("compensation undo-a of step 0 on app 'a' failed: refund service down", instance.CompensationError);
        Assert.NotNull(instance.EndedAt);
    }

    [Theory]
    [InlineData("UNAVAILABLE: no replica", "UNAVAILABLE", "no replica")]
    [InlineData("DEADLINE_EXCEEDED: app 'x': slow", "DEADLINE_EXCEEDED", "app 'x': slow")]
    [InlineData("something else: entirely", "UNKNOWN", "something else: entirely")]
    [InlineData("", "UNKNOWN", "")]
    public void StepFailedException_Parse_SplitsTheStatusName(string message, string status, string rest)
    {
        Assert.Equal((status, rest), StepFailedException.Parse(message));
    }

    [Fact]
    public void InstanceIds_SameAppAndStringSameGuid_DifferentStringsDifferentGuids()
    {
        Assert.Equal(WorkflowInstanceIds.ToCorrelationId("shop", "order-42"), WorkflowInstanceIds.ToCorrelationId("shop", "order-42"));
        Assert.NotEqual(WorkflowInstanceIds.ToCorrelationId("shop", "order-42"), WorkflowInstanceIds.ToCorrelationId("shop", "order-43"));
        Assert.True(WorkflowInstanceIds.IsValid(WorkflowInstanceIds.NewId()));
        Assert.False(WorkflowInstanceIds.IsValid("has space"));
    }

    [Fact]
    public void InstanceIds_SameStringInTwoApps_NameTwoInstances() =>
        Assert.NotEqual(WorkflowInstanceIds.ToCorrelationId("shop", "order-42"), WorkflowInstanceIds.ToCorrelationId("billing", "order-42"));

    [Theory]
    [InlineData("CompensationFailed", "COMPENSATION_FAILED")]
    [InlineData("Running", "RUNNING")]
    public void StatusName_IsUpperSnakeCase(string state, string expected) => Assert.Equal(expected, WorkflowStateMachine.StatusName(state));

    private async Task<List<RoutingSlip>> SlipsAsync()
    {
        var slips = new List<RoutingSlip>();
        await foreach (var sent in harness.Harness.Sent.SelectAsync<RoutingSlip>())
        {
            slips.Add(sent.Context.Message);
        }

        return slips;
    }

    private async Task<int> Count<T>(Func<T, bool> match)
        where T : class
    {
        var count = 0;
        await foreach (var published in harness.Harness.Published.SelectAsync<T>())
        {
            count += match(published.Context.Message) ? 1 : 0;
        }

        return count;
    }

    private static async Task Poll(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 30 s");
            await Task.Delay(20);
        }
    }

    private static string Id() => $"wf-{Guid.NewGuid():N}";

    private static WorkflowStep[] Steps() =>
        [new("a", "do-a", null, "undo-a"), new("b", "do-b", Encoding.UTF8.GetBytes("own"), "undo-b"), new("c", "do-c")];

    private static Dictionary<string, object> Sizes(params int[] sizes) =>
        sizes.Select((size, step) => (size, step)).ToDictionary(pair => StepActivity.OutputSizeVariable(pair.step), pair => (object)pair.size);
}
