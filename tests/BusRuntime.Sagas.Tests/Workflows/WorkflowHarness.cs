using BusRuntime.Core.Workflows;
using BusRuntime.Sagas.Activities;
using BusRuntime.Sagas.Messages;
using BusRuntime.Sagas.Workflows;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Sagas.Tests.Workflows;

/// <summary>
/// The workflow state machine on MassTransit's test harness, with no activity behind it: tests play Courier's
/// part by publishing its routing slip events.
/// </summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private WorkflowHarness(ServiceProvider provider)
    {
        this.provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<WorkflowStateMachine, WorkflowState>();
    }

    public ITestHarness Harness { get; }

    public ISagaStateMachineTestHarness<WorkflowStateMachine, WorkflowState> Saga { get; }

    public static async Task<WorkflowHarness> StartAsync()
    {
        var provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<WorkflowTopology>()
            .AddMassTransitTestHarness(bus => bus.AddSagaStateMachine<WorkflowStateMachine, WorkflowState>().InMemoryRepository())
            .BuildServiceProvider(validateScopes: true);
        // No step activity runs here: the routing slips only have to name an address; the tests read what was sent.
        provider.GetRequiredService<WorkflowTopology>().Connected(new Uri("queue:workflow-saga"), new Uri("queue:workflow-step_execute"));
        var harness = new WorkflowHarness(provider);
        // Listings of what was sent wait this long for one more message.
        harness.Harness.TestInactivityTimeout = TimeSpan.FromMilliseconds(500);
        await harness.Harness.Start();
        return harness;
    }

    public Task<Response<WorkflowAccepted, WorkflowRejected>> StartAsync(string instanceId, byte[] input, params WorkflowStep[] steps) =>
        StartAsync(NewId.NextGuid(), instanceId, input, steps);

    /// <summary>A start sent as message <paramref name="messageId"/>: the same id twice is what a broker's redelivery looks like.</summary>
    public async Task<Response<WorkflowAccepted, WorkflowRejected>> StartAsync(Guid messageId, string instanceId, byte[] input, params WorkflowStep[] steps)
    {
        var client = Harness.GetRequestClient<StartWorkflow>();
        return await client.GetResponse<WorkflowAccepted, WorkflowRejected>(
            new StartWorkflow
            {
                CorrelationId = WorkflowInstanceIds.ToCorrelationId("tests", instanceId),
                InstanceId = instanceId,
                WorkflowName = "test",
                StartedBy = "tests",
                Input = input,
                Steps = steps,
            },
            request => request.UseExecute(send => send.MessageId = messageId));
    }

    public async Task<Response<WorkflowAccepted, WorkflowRejected>> TerminateAsync(string instanceId, string reason)
    {
        var client = Harness.GetRequestClient<TerminateWorkflow>();
        return await client.GetResponse<WorkflowAccepted, WorkflowRejected>(new TerminateWorkflow
        {
            CorrelationId = WorkflowInstanceIds.ToCorrelationId("tests", instanceId),
            InstanceId = instanceId,
            Reason = reason,
        });
    }

    public Task StepCompletedAsync(string instanceId, int step, int outputSize) =>
        Harness.Bus.Publish<MassTransit.Courier.Contracts.RoutingSlipActivityCompleted>(new
        {
            TrackingNumber = WorkflowInstanceIds.ToCorrelationId("tests", instanceId),
            ExecutionId = NewId.NextGuid(),
            ActivityName = StepActivity.ActivityName(step),
            Timestamp = DateTime.UtcNow,
            Duration = TimeSpan.FromMilliseconds(1),
            Variables = new Dictionary<string, object> { [StepActivity.OutputSizeVariable(step)] = outputSize },
            Arguments = new Dictionary<string, object>(),
            Data = new Dictionary<string, object>(),
        });

    /// <summary>Step <paramref name="step"/> of <paramref name="instanceId"/> faulted with <paramref name="exception"/>; <paramref name="variables"/> are the slip's (the sizes of the steps before it).</summary>
    public Task StepFaultedAsync(string instanceId, int step, Exception exception, Dictionary<string, object>? variables = null) =>
        Harness.Bus.Publish<MassTransit.Courier.Contracts.RoutingSlipActivityFaulted>(new
        {
            TrackingNumber = WorkflowInstanceIds.ToCorrelationId("tests", instanceId),
            ExecutionId = NewId.NextGuid(),
            ActivityName = StepActivity.ActivityName(step),
            Timestamp = DateTime.UtcNow,
            Duration = TimeSpan.FromMilliseconds(1),
            ExceptionInfo = new MassTransit.Events.FaultExceptionInfo(exception),
            Variables = variables ?? new Dictionary<string, object>(),
            Arguments = new Dictionary<string, object>(),
        });

    public Task StepCompensatedAsync(string instanceId, int step) =>
        Harness.Bus.Publish<MassTransit.Courier.Contracts.RoutingSlipActivityCompensated>(new
        {
            TrackingNumber = WorkflowInstanceIds.ToCorrelationId("tests", instanceId),
            ExecutionId = NewId.NextGuid(),
            ActivityName = StepActivity.ActivityName(step),
            Timestamp = DateTime.UtcNow,
            Duration = TimeSpan.FromMilliseconds(1),
            Variables = new Dictionary<string, object>(),
            Data = new Dictionary<string, object>(),
        });

    public Task SlipCompletedAsync(string instanceId, Dictionary<string, object> variables) =>
        Harness.Bus.Publish<MassTransit.Courier.Contracts.RoutingSlipCompleted>(new
        {
            TrackingNumber = WorkflowInstanceIds.ToCorrelationId("tests", instanceId),
            Timestamp = DateTime.UtcNow,
            Duration = TimeSpan.FromMilliseconds(3),
            Variables = variables,
        });

    public Task SlipFaultedAsync(string instanceId, int step, Exception exception, Dictionary<string, object> variables) =>
        Harness.Bus.Publish<MassTransit.Courier.Contracts.RoutingSlipFaulted>(new
        {
            TrackingNumber = WorkflowInstanceIds.ToCorrelationId("tests", instanceId),
            Timestamp = DateTime.UtcNow,
            Duration = TimeSpan.FromMilliseconds(3),
            ActivityExceptions = new[]
            {
                new
                {
                    ExecutionId = NewId.NextGuid(),
                    Name = StepActivity.ActivityName(step),
                    Timestamp = DateTime.UtcNow,
                    Elapsed = TimeSpan.FromMilliseconds(1),
                    ExceptionInfo = new MassTransit.Events.FaultExceptionInfo(exception),
                },
            },
            Variables = variables,
        });

    public Task SlipCompensationFailedAsync(string instanceId, Exception exception) =>
        Harness.Bus.Publish<MassTransit.Courier.Contracts.RoutingSlipCompensationFailed>(new
        {
            TrackingNumber = WorkflowInstanceIds.ToCorrelationId("tests", instanceId),
            Timestamp = DateTime.UtcNow,
            Duration = TimeSpan.FromMilliseconds(3),
            ExceptionInfo = new MassTransit.Events.FaultExceptionInfo(exception),
            Variables = new Dictionary<string, object>(),
        });

    /// <summary>Waits until the instance satisfies <paramref name="condition"/>; the harness's timeout is the failure.</summary>
    public async Task<WorkflowState> WaitForAsync(string instanceId, Func<WorkflowState, bool> condition)
    {
        var id = WorkflowInstanceIds.ToCorrelationId("tests", instanceId);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var instance = Saga.Sagas.Contains(id);
            if (instance is not null && condition(instance))
            {
                return instance;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"instance {instanceId} did not reach the expected condition; it is {instance?.CurrentState ?? "missing"}.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await provider.DisposeAsync();
    }
}
