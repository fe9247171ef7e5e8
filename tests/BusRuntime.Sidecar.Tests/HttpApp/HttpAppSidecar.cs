using BusRuntime.Testing;

namespace BusRuntime.Sidecar.Tests.HttpApp;

/// <summary>Sidecars of HTTP apps (<c>--app-protocol http</c>) on the embedded default, with fast retries.</summary>
internal static class HttpAppSidecar
{
    public static Task<TestSidecar> StartAsync(string appId, int appPort, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["BusRuntime:AppProtocol"] = "http",
            ["BusRuntime:PubSub:RetryLimit"] = "2",
            ["BusRuntime:PubSub:RetryMinInterval"] = "00:00:00.010",
            ["BusRuntime:PubSub:RetryMaxInterval"] = "00:00:00.050",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return TestSidecar.StartAsync(appId, all, appPort);
    }
}
