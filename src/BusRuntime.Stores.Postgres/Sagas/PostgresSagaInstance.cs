using MassTransit;

namespace BusRuntime.Stores.Postgres.Sagas;

/// <summary>One saga instance as its row holds it.</summary>
/// <param name="CorrelationId">The instance's id (the primary key).</param>
/// <param name="Version">How many times it was written: 1 after the insert, one more for every update.</param>
/// <param name="CurrentState">The state column (the saga's CurrentState unless the registration chose otherwise), or null.</param>
/// <param name="Saga">The instance, read from the data column.</param>
/// <param name="CreatedAt">When it was inserted, on the database's clock.</param>
/// <param name="UpdatedAt">When it was last written, on the database's clock.</param>
public sealed record PostgresSagaInstance<TSaga>(Guid CorrelationId, int Version, string? CurrentState, TSaga Saga, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
    where TSaga : class, ISagaVersion;
