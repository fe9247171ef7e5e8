using BusRuntime.Core.Configuration;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Security;

/// <summary>
/// Decides whether a call presents the configured API token. Both façades (gRPC and HTTP) ask it, so the
/// rule and the header name live in one place.
/// </summary>
public sealed class ApiTokenGuard(IOptions<RuntimeOptions> options)
{
    /// <summary>The header Dapr's SDKs send the token in.</summary>
    public const string HeaderName = "dapr-api-token";

    /// <summary>What a caller without the right token is told; never says what the token is.</summary>
    public const string RejectionMessage = "this sidecar requires an API token: send it in the 'dapr-api-token' header (the SDKs read DAPR_API_TOKEN).";

    private readonly SecretToken? expected = SecretToken.From(options.Value.ApiToken);

    public bool IsRequired => expected is not null;

    /// <summary>True when no token is configured or <paramref name="presented"/> is it (compared in constant time).</summary>
    public bool Allows(string? presented) =>
        expected is null || expected.Matches(presented);
}
