using System.ComponentModel.DataAnnotations;

namespace BusRuntime.Samples.BusService;

/// <summary>The sample's settings (configuration section "BusRuntime", as for the sidecar).</summary>
public sealed class BusServiceOptions
{
    public const string SectionName = "BusRuntime";

    /// <summary>The broker the sidecars use: amqp://user:password@host:port/vhost.</summary>
    [Required(ErrorMessage = "BusRuntime:RabbitMq must not be empty.")]
    public string RabbitMq { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>The app id this service consumes "orders" as, and answers invocations for, as a sidecar's app would.</summary>
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$", ErrorMessage = "BusRuntime:AppId must match ^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$ (an app id, as for a sidecar).")]
    public string AppId { get; set; } = "order-audit";

    /// <summary>Seconds between two published orders; 0 only consumes.</summary>
    [Range(0, 3600, ErrorMessage = "BusRuntime:PublishEverySeconds must be between 0 (do not publish) and 3600.")]
    public int PublishEverySeconds { get; set; } = 5;
}
