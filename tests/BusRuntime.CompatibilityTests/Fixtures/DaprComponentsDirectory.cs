namespace BusRuntime.CompatibilityTests.Fixtures;

/// <summary>
/// A folder of Dapr component files as a Dapr user keeps them beside an app, passed to the sidecar with
/// <c>--resources-path</c> (BusRuntime:ResourcesPaths:0): the pub/sub named "pubsub" on the shared RabbitMQ
/// broker, with Dapr's own metadata for it. Deleted with the test.
/// </summary>
public sealed class DaprComponentsDirectory : IDisposable
{
    private DaprComponentsDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>Writes <c>pubsub.yaml</c> (type pubsub.rabbitmq) into a new folder.</summary>
    public static DaprComponentsDirectory WithRabbitMqPubSub()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"busruntime-components-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        File.WriteAllText(System.IO.Path.Combine(path, "pubsub.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.rabbitmq
              version: v1
              metadata:
              - name: connectionString
                value: "{BrokerFixture.Address}"
              - name: durable
                value: "true"
              - name: deletedWhenUnused
                value: "false"
              - name: requeueInFailure
                value: "true"
            """);
        return new DaprComponentsDirectory(path);
    }

    /// <summary>The settings of a sidecar started with <c>--resources-path</c> this folder, for an app it calls over gRPC.</summary>
    public Dictionary<string, string?> Settings() => new(StringComparer.Ordinal) { ["BusRuntime:ResourcesPaths:0"] = Path };

    /// <summary>The same, with <c>--app-protocol http</c>: the sidecar calls its app over HTTP.</summary>
    public Dictionary<string, string?> HttpAppSettings() => new(Settings(), StringComparer.Ordinal) { ["BusRuntime:AppProtocol"] = "http" };

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
