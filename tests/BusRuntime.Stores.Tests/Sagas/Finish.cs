namespace BusRuntime.Stores.Tests.Sagas;

public sealed record Finish(Guid CorrelationId);
