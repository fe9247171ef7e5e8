namespace BusRuntime.Core.Secrets;

/// <summary>Where a secret store component reads its secrets. Implementations never log or otherwise show a value.</summary>
public interface ISecretStore
{
    /// <summary>The value of one secret; null when the store has no such secret.</summary>
    Task<string?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every secret of the store, by key.</summary>
    Task<IReadOnlyDictionary<string, string>> GetAllAsync(CancellationToken cancellationToken);
}
