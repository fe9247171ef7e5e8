using BusRuntime.Core.Errors;
using MassTransit;

namespace BusRuntime.Sagas;

/// <summary>The receive endpoint of a saga kept in a database with optimistic concurrency.</summary>
public static class SagaEndpointConfiguratorExtensions
{
    /// <summary>
    /// Configures a saga's endpoint so that a message whose save lost a race (MassTransit's
    /// <see cref="ConcurrencyException"/>), or that met a database that was unreachable (UNAVAILABLE) or a
    /// deadlock (ABORTED), is consumed again from a fresh read, up to <paramref name="retryLimit"/> more times
    /// with growing randomized intervals (10 ms to 2 s) before it faults; and that whatever the saga publishes
    /// or sends is held in an in-memory outbox and leaves only after the instance's transaction committed
    /// (an attempt that fails publishes nothing). Call it from the saga definition's ConfigureSaga, or on the
    /// endpoint before ConfigureSaga.
    /// </summary>
    public static void UseSagaConcurrencyRetryAndOutbox(this IReceiveEndpointConfigurator configurator, IRegistrationContext context, int retryLimit = 20)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentOutOfRangeException.ThrowIfNegative(retryLimit);

        // The retry wraps the outbox: every attempt has its own outbox, discarded when the attempt fails.
        configurator.UseMessageRetry(retry =>
        {
            retry.Handle<ConcurrencyException>();
            retry.Handle<RuntimeException>(exception => exception.Code is ErrorCode.Unavailable or ErrorCode.Aborted);
            retry.Exponential(retryLimit, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20));
        });
        configurator.UseInMemoryOutbox(context);
    }
}
