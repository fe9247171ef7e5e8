using System.ComponentModel.DataAnnotations;

namespace BusRuntime.Hosting;

/// <summary>Where the sidecar listens (configuration section "BusRuntime").</summary>
public sealed class SidecarOptions
{
    /// <summary>The gRPC port apps call (Dapr's default, so SDKs find it with no configuration).</summary>
    [Range(1, 65535, ErrorMessage = "BusRuntime:GrpcPort must be between 1 and 65535.")]
    public int GrpcPort { get; set; } = 50001;

    /// <summary>The HTTP port of the actuator and Dapr's health route.</summary>
    [Range(1, 65535, ErrorMessage = "BusRuntime:HttpPort must be between 1 and 65535.")]
    public int HttpPort { get; set; } = 3500;

    /// <summary>
    /// The address both ports bind to: loopback for a sidecar next to its app; beyond it (0.0.0.0 in a container)
    /// only with TLS or <see cref="TlsOptions.AllowPlaintext"/> (<see cref="SidecarListener"/>).
    /// </summary>
    [Required(ErrorMessage = "BusRuntime:ListenAddress must not be empty.")]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>TLS on both ports (BusRuntime:Tls).</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>
    /// How many calls one HTTP/2 connection of an app may have open at once on the gRPC port. Every streaming
    /// subscription holds one for as long as it follows, so an app with many subscriptions on one channel
    /// needs more than Kestrel's default of 100 (the call past the limit waits, without an error, until another
    /// ends); the upper bound keeps one connection from holding unbounded server state.
    /// </summary>
    [Range(1, 10000, ErrorMessage = "BusRuntime:MaxStreamsPerConnection must be between 1 and 10000.")]
    public int MaxStreamsPerConnection { get; set; } = 1000;

    /// <summary>
    /// How long a stopping sidecar waits for calls, deliveries and workflow steps in flight and for the bus to
    /// stop; what is still running then is cancelled and left to the broker, which redelivers it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "BusRuntime:ShutdownTimeout must be between 00:00:01 and 00:10:00.")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
