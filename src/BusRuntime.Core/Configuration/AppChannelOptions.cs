using System.ComponentModel.DataAnnotations;
using BusRuntime.Core.Metadata;

namespace BusRuntime.Core.Configuration;

/// <summary>Where the app serves its AppCallback service (configuration section "BusRuntime").</summary>
public sealed class AppChannelOptions
{
    public const string GrpcAppProtocol = "grpc";

    public const string HttpAppProtocol = "http";

    /// <summary>The app's gRPC port; 0 means the app serves no callback (it may still subscribe by stream).</summary>
    [Range(0, 65535, ErrorMessage = "BusRuntime:AppPort must be between 0 (no app callback) and 65535.")]
    public int AppPort { get; set; }

    /// <summary>The app's host; the app runs next to its sidecar.</summary>
    [Required(ErrorMessage = "BusRuntime:AppHost must not be empty.")]
    public string AppHost { get; set; } = "127.0.0.1";

    /// <summary>
    /// Which AppCallback service the app serves: <c>dapr</c> (dapr.proto.runtime.v1.AppCallback), <c>layotto</c>
    /// (spec.proto.runtime.v1.AppCallback), or <c>auto</c> (the default): the sidecar asks Dapr's
    /// ListTopicSubscriptions and, when the app answers UNIMPLEMENTED, Layotto's.
    /// </summary>
    [RegularExpression("^(auto|dapr|layotto)$", ErrorMessage = "BusRuntime:AppCallbackProtocol must be auto, dapr or layotto.")]
    public string AppCallbackProtocol { get; set; } = "auto";

    /// <summary>
    /// How the sidecar calls the app (Dapr's <c>--app-protocol</c>): <c>grpc</c> (the default), the AppCallback
    /// service, or <c>http</c>, Dapr's HTTP app API (<c>/dapr/subscribe</c>, events POSTed to routes, methods as paths).
    /// </summary>
    [RegularExpression("^(grpc|http)$", ErrorMessage = "BusRuntime:AppProtocol must be grpc or http.")]
    public string AppProtocol { get; set; } = GrpcAppProtocol;

    /// <summary>
    /// The token the sidecar sends the app in the <c>dapr-api-token</c> header of every call (Dapr's <c>APP_API_TOKEN</c>,
    /// also read from that variable), so the app can refuse calls that do not come from its sidecar. Default: none.
    /// </summary>
    public string? AppApiToken { get; set; }

    public bool IsHttpApp => AppProtocol == HttpAppProtocol;

    public Uri AppAddress => new($"http://{AppHost}:{AppPort}");

    /// <summary>The app's connection for the sidecar's metadata; none when the app serves no callback.</summary>
    public AppConnection? Connection => AppPort > 0 ? new AppConnection(AppPort, AppProtocol, AppHost) : null;
}
