namespace BusRuntime.Stores.Tests.Sagas;

public sealed record Start(Guid CorrelationId);
