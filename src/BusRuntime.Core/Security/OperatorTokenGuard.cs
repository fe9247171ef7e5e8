using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Security;

/// <summary>
/// Decides an Operations call's view from the operator token it presents: none gives the sidecar's own app's
/// view; the configured token (compared in constant time) the deployment's; any other token is refused, never
/// taken silently for none.
/// </summary>
public sealed class OperatorTokenGuard(IOptions<RuntimeOptions> options)
{
    /// <summary>The gRPC metadata key (HTTP header) the operator token travels in.</summary>
    public const string HeaderName = "busruntime-operator-token";

    /// <summary>The environment variable the sidecar and the command line read the operator token from.</summary>
    public const string EnvironmentVariable = "BUSRUNTIME_OPERATOR_TOKEN";

    private readonly SecretToken? expected = SecretToken.From(options.Value.OperatorToken);
    private readonly OperationsView own = OperationsView.Of(options.Value.AppId);

    public bool IsConfigured => expected is not null;

    /// <summary>The view of a call that presents <paramref name="presented"/> (null or empty: none); UNAUTHENTICATED for a wrong token.</summary>
    public OperationsView ViewFor(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return own;
        }

        if (expected is null)
        {
            throw RuntimeException.Unauthenticated(
                $"the {HeaderName} header was sent, but this sidecar has no operator token (BusRuntime:OperatorToken, {EnvironmentVariable}); leave it out to see app '{own.AppId}' only.");
        }

        return expected.Matches(presented)
            ? OperationsView.Deployment
            : throw RuntimeException.Unauthenticated(
                $"the {HeaderName} header is not this sidecar's operator token (BusRuntime:OperatorToken, {EnvironmentVariable}); leave it out to see app '{own.AppId}' only.");
    }
}
