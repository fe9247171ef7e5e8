using BusRuntime.Protos.V1;
using Google.Protobuf;

namespace BusRuntime.LoadDriver.Load;

/// <summary>(b) What an app does: PublishEvent on the sidecar's gRPC API, which answers once the broker confirmed.</summary>
public sealed class SidecarGrpcPublishTarget(Runtime.RuntimeClient client, string pubsubName, string topic, ByteString payload) : ILoadTarget
{
    private const string ContentType = "application/octet-stream";

    public string Name => "(b) sidecar gRPC";

    public async Task CallAsync(CancellationToken cancellationToken)
    {
        var request = new PublishEventRequest
        {
            PubsubName = pubsubName,
            Topic = topic,
            Data = payload,
            DataContentType = ContentType,
        };
        await client.PublishEventAsync(request, cancellationToken: cancellationToken);
    }
}
