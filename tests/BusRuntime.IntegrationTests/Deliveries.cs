namespace BusRuntime.IntegrationTests;

/// <summary>What arrived, counted per id, against what was published.</summary>
internal sealed class Deliveries
{
    private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);

    public Deliveries(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }
    }

    public int Total => counts.Values.Sum();

    public int Distinct => counts.Count;

    /// <summary>Deliveries beyond the first of each id (at-least-once redeliveries).</summary>
    public int Duplicates => Total - Distinct;

    public IReadOnlyCollection<string> Ids => counts.Keys;

    public IReadOnlyList<string> Missing(IEnumerable<string> published) => [.. published.Where(id => !counts.ContainsKey(id))];

    public IReadOnlyList<string> Unknown(IReadOnlySet<string> published) => [.. counts.Keys.Where(id => !published.Contains(id))];

    public bool HasAll(IEnumerable<string> published) => published.All(counts.ContainsKey);

    public override string ToString() => $"{Total} deliveries of {Distinct} ids, {Duplicates} duplicates";
}
