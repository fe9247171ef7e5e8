using BusRuntime.Core.DeadLetters;
using BusRuntime.Core.Errors;
using BusRuntime.Core.Security;
using Microsoft.Extensions.DependencyInjection;

namespace BusRuntime.Core.Tests.DeadLetters;

/// <summary>Whose dead-letter queues a view reaches, on the sidecar of app "orders" with one shared workflow queue.</summary>
public sealed class DeadLetterOperationsTests : IAsyncLifetime
{
    private const string SharedQueue = "busruntime-workflows-saga";

    private readonly RecordingQueues queues = new();
    private CoreHarness? harness;

    private DeadLetterOperations Operations => harness!.Get<DeadLetterOperations>();

    public async Task InitializeAsync() =>
        harness = await CoreHarness.StartAsync(services: services => services
            .AddSingleton<IDeadLetterQueues>(queues)
            .AddSingleton(new OperatedQueue(SharedQueue)));

    public async Task DisposeAsync() => await harness!.DisposeAsync();

    [Theory]
    [InlineData("busruntime.app.billing.pubsub.invoices", "a queue of app 'billing'")]
    [InlineData("busruntime.app.billing.invoke_error", "a queue of app 'billing'")]
    [InlineData(SharedQueue, "a workflow queue the deployment shares")]
    public async Task EveryOperation_QueueOutsideTheAppsView_IsPermissionDeniedAndTouchesNothing(string queue, string whose)
    {
        var view = OperationsView.Of("orders");

        var redrive = await Assert.ThrowsAsync<RuntimeException>(() => Operations.RedriveOneAsync(view, queue, null, CancellationToken.None));
        var peek = await Assert.ThrowsAsync<RuntimeException>(() => Operations.PeekAsync(view, queue, 10, CancellationToken.None));
        var list = await Assert.ThrowsAsync<RuntimeException>(() => Operations.ListQueuesAsync(view, queue, CancellationToken.None));

        Assert.All([redrive, peek, list], exception => Assert.Equal(ErrorCode.PermissionDenied, exception.Code));
        Assert.Equal(
            $"queue '{queue}' is {whose}: without the operator token (busruntime-operator-token) the sidecar of app 'orders' reaches only its own queues, which start with 'busruntime.app.orders.'.",
            redrive.Message);
        Assert.Empty(queues.Calls);
    }

    [Theory]
    [InlineData("busruntime.app.billing.pubsub.invoices", "busruntime.app.billing.pubsub.invoices_error")]
    [InlineData(SharedQueue + "_error", SharedQueue + "_error")]
    public async Task RedriveOneAsync_DeploymentView_ReachesAnotherAppsAndTheSharedQueues(string queue, string errorQueue)
    {
        await Operations.RedriveOneAsync(OperationsView.Deployment, queue, null, CancellationToken.None);

        Assert.Equal([$"redrive {errorQueue}"], queues.Calls);
    }

    [Fact]
    public async Task RedriveOneAsync_OwnQueue_IsReachedWithoutTheOperatorToken()
    {
        await Operations.RedriveOneAsync(OperationsView.Of("orders"), "busruntime.app.orders.pubsub.invoices", "m-1", CancellationToken.None);

        Assert.Equal(["redrive busruntime.app.orders.pubsub.invoices_error"], queues.Calls);
    }

    [Fact]
    public async Task ListQueuesAsync_NoQueueNamed_SharedQueuesOnlyInTheDeploymentView()
    {
        var own = await Operations.ListQueuesAsync(OperationsView.Of("orders"), null, CancellationToken.None);
        var deployment = await Operations.ListQueuesAsync(OperationsView.Deployment, null, CancellationToken.None);

        Assert.Empty(own);
        Assert.Equal([SharedQueue + "_error"], deployment.Select(queue => queue.Name));
    }

    [Fact]
    public async Task RedriveOneAsync_QueueOfNoApp_IsInvalidArgumentInEveryView()
    {
        var exception = await Assert.ThrowsAsync<RuntimeException>(() => Operations.RedriveOneAsync(OperationsView.Deployment, "someone-else-saga", null, CancellationToken.None));

        Assert.Equal(ErrorCode.InvalidArgument, exception.Code);
        Assert.Equal($"queue 'someone-else-saga' is not a queue of app 'orders'; its queues start with 'busruntime.app.orders.' or are one of: {SharedQueue}.", exception.Message);
    }

    private sealed class RecordingQueues : IDeadLetterQueues
    {
        public List<string> Calls { get; } = [];

        public Task<long?> CountAsync(string queue, CancellationToken cancellationToken)
        {
            Calls.Add($"count {queue}");
            return Task.FromResult<long?>(0);
        }

        public Task<IReadOnlyList<DeadLetter>> PeekAsync(string queue, int limit, CancellationToken cancellationToken)
        {
            Calls.Add($"peek {queue}");
            return Task.FromResult<IReadOnlyList<DeadLetter>>([]);
        }

        public Task<DeadLetter?> RedriveOneAsync(string queue, string sourceQueue, string? messageId, CancellationToken cancellationToken)
        {
            Calls.Add($"redrive {queue}");
            return Task.FromResult<DeadLetter?>(null);
        }
    }
}
