using System.CommandLine;
using System.Globalization;

namespace BusRuntime.LoadDriver.Reporting;

/// <summary>
/// --figures: a file every benchmark command appends its headline figures to, one "name&lt;TAB&gt;value" line each,
/// so that <c>summary</c> can put the figures of several runs (<c>bash scripts/bench.sh all</c>) against their targets.
/// </summary>
public static class FigureFile
{
    public static Option<string?> CreateOption() =>
        new("--figures") { Description = "Append this run's headline figures to this file (one 'name<TAB>value' line each), for 'summary'." };

    public static async Task AppendAsync(string? path, params (string Name, double Value)[] figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        if (path is null)
        {
            return;
        }

        await File.AppendAllLinesAsync(path, figures.Select(figure => string.Create(CultureInfo.InvariantCulture, $"{figure.Name}\t{figure.Value:R}")));
    }

    /// <summary>The figures in a file; a name written twice keeps its last value.</summary>
    public static IReadOnlyDictionary<string, double> Read(string path)
    {
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split('\t');
            if (fields.Length == 2 && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                figures[fields[0]] = value;
            }
        }

        return figures;
    }
}
