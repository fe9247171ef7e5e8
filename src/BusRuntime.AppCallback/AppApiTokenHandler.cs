using BusRuntime.Core.Configuration;
using BusRuntime.Core.Security;
using Microsoft.Extensions.Options;

namespace BusRuntime.AppCallback;

/// <summary>Adds the app API token (<see cref="AppChannelOptions.AppApiToken"/>) to every HTTP call to the app, as daprd does; nothing without one.</summary>
public sealed class AppApiTokenHandler(IOptions<AppChannelOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (options.Value.AppApiToken is { Length: > 0 } token)
        {
            request.Headers.Remove(AppApiTokenHeader.Name);
            request.Headers.TryAddWithoutValidation(AppApiTokenHeader.Name, token);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
