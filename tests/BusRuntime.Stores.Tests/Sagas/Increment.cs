namespace BusRuntime.Stores.Tests.Sagas;

public sealed record Increment(Guid CorrelationId);
