using System.ComponentModel.DataAnnotations;

namespace BusRuntime.Core.Configuration;

/// <summary>The sidecar's identity and limits (configuration section "BusRuntime").</summary>
public sealed class RuntimeOptions : IValidatableObject
{
    public const string SectionName = "BusRuntime";

    /// <summary>The app this sidecar serves; scopes its subscriptions and is the source of what it publishes.</summary>
    [Required(ErrorMessage = "BusRuntime:AppId is required (--app-id or BusRuntime__AppId).")]
    [RegularExpression(Names.AppIdPattern, ErrorMessage = "BusRuntime:AppId must match ^[A-Za-z0-9][A-Za-z0-9_-]{{0,47}}$ (letters, digits, '-' and '_', no dots, at most 48 characters).")]
    public string AppId { get; set; } = "";

    /// <summary>The largest payload a publish may carry.</summary>
    [Range(1, 64 * 1024 * 1024, ErrorMessage = "BusRuntime:MaxPayloadBytes must be between 1 and 67108864.")]
    public int MaxPayloadBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long a publish waits for the broker's confirmation; a shorter caller deadline wins.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "BusRuntime:PublishTimeout must be between 00:00:00.100 and 00:10:00.")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When set, every call must carry it in the <c>dapr-api-token</c> header (Dapr's API token): gRPC calls,
    /// and HTTP routes but the health checks and metrics. Also read from <c>DAPR_API_TOKEN</c>. Default: none.
    /// </summary>
    public string? ApiToken { get; set; }

    /// <summary>
    /// When set, an Operations call that carries it in the <c>busruntime-operator-token</c> header sees and acts on
    /// the whole deployment (every app's messages, dead letters and workflows); without it a call sees this
    /// sidecar's app only. Also read from <c>BUSRUNTIME_OPERATOR_TOKEN</c>. Default: none.
    /// </summary>
    public string? OperatorToken { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Every app holds its sidecar's API token; an operator token equal to it would give every app the deployment.
        if (!string.IsNullOrEmpty(OperatorToken) && OperatorToken == ApiToken)
        {
            yield return new ValidationResult(
                "BusRuntime:OperatorToken must differ from BusRuntime:ApiToken (DAPR_API_TOKEN): apps hold the API token, the operator token unlocks every app's operations.",
                [nameof(OperatorToken)]);
        }
    }
}
