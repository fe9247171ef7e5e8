using System.ComponentModel.DataAnnotations;

namespace BusRuntime.Core.Configuration;

/// <summary>
/// App health checks as daprd makes them (configuration section "BusRuntime:AppHealth"; Dapr's flags
/// <c>--enable-app-health-check</c>, <c>--app-health-check-path</c>, <c>--app-health-probe-interval</c>,
/// <c>--app-health-probe-timeout</c>, <c>--app-health-threshold</c>): the app is probed every interval, and after
/// <see cref="Threshold"/> failed probes in a row it is unhealthy until one succeeds.
/// </summary>
public sealed class AppHealthOptions : IValidatableObject
{
    public const string SectionName = "BusRuntime:AppHealth";

    public bool Enabled { get; set; }

    /// <summary>The path an HTTP app is probed on with GET; a gRPC app is asked AppCallbackHealthCheck.HealthCheck.</summary>
    [RegularExpression("^/?[^?#\\s]{0,1024}$", ErrorMessage = "BusRuntime:AppHealth:CheckPath must be a path, such as /healthz, without query or spaces.")]
    public string CheckPath { get; set; } = "/healthz";

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "BusRuntime:AppHealth:ProbeInterval must be between 00:00:00.010 and 01:00:00.")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "BusRuntime:AppHealth:ProbeTimeout must be between 00:00:00.001 and 01:00:00.")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(1, 1000, ErrorMessage = "BusRuntime:AppHealth:Threshold must be between 1 and 1000.")]
    public int Threshold { get; set; } = 3;

    /// <summary>A duration as Go prints it, as Dapr's metadata shows the probe interval and timeout: "5s", "500ms", "1m30s".</summary>
    public static string GoDuration(TimeSpan duration)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        if (duration < TimeSpan.FromSeconds(1))
        {
            return duration.TotalMilliseconds.ToString("0.###", culture) + "ms";
        }

        var seconds = (duration.TotalSeconds % 60).ToString("0.#########", culture) + "s";
        return duration.TotalHours >= 1 ? $"{(int)duration.TotalHours}h{duration.Minutes}m{seconds}"
            : duration.TotalMinutes >= 1 ? $"{duration.Minutes}m{seconds}"
            : seconds;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ProbeTimeout > ProbeInterval)
        {
            yield return new ValidationResult(
                $"BusRuntime:AppHealth:ProbeTimeout ({ProbeTimeout}) must not be longer than BusRuntime:AppHealth:ProbeInterval ({ProbeInterval}), as in Dapr.",
                [nameof(ProbeTimeout)]);
        }
    }
}
