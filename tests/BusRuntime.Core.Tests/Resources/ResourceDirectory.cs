using BusRuntime.Core.Configuration;
using BusRuntime.Core.Resources;

namespace BusRuntime.Core.Tests.Resources;

/// <summary>A temporary directory of resource files for one test, deleted with it.</summary>
internal sealed class ResourceDirectory : IDisposable
{
    public ResourceDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"busruntime-resources-{Guid.NewGuid():N}");

    /// <summary>Secrets the test's secret stores hold, by store name then secret name.</summary>
    public Dictionary<string, Dictionary<string, string>> Secrets { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string Write(string name, string text)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public ResourceSet Load(string appId = "orders", string? transport = null, string? rabbitMq = null, params ComponentOptions[] configured) =>
        ResourceFiles.Load(
            [Path],
            new ResourceContext(
                appId,
                configured,
                transport,
                rabbitMq,
                (store, name) => Secrets.TryGetValue(store.Name, out var secrets) ? secrets.GetValueOrDefault(name) : null,
                variable => Environment.GetValueOrDefault(variable)));

    /// <summary>The start-up failure loading the directory ends in.</summary>
    public string Failure(string appId = "orders", string? transport = null, string? rabbitMq = null, params ComponentOptions[] configured) =>
        Assert.Throws<InvalidOperationException>(() => Load(appId, transport, rabbitMq, configured)).Message;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
