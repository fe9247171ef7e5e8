namespace BusRuntime.Stores.Tests.Sagas;

public sealed record Pause(Guid CorrelationId);
