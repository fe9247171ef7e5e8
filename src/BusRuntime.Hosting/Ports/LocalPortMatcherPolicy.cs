using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace BusRuntime.Hosting.Ports;

/// <summary>
/// Routes by the local port a connection arrived on, never by a header: an endpoint marked
/// <see cref="ServedOnPort"/> is a candidate only for requests on that port, so each port serves its own
/// surface and a Host or :authority header naming the other port reaches nothing (404).
/// </summary>
internal sealed class LocalPortMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => -1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<ServedOnPort>() is not null);
    }

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(candidates);
        var port = httpContext.Connection.LocalPort;
        for (var index = 0; index < candidates.Count; index++)
        {
            if (candidates.IsValidCandidate(index) && candidates[index].Endpoint.Metadata.GetMetadata<ServedOnPort>() is { } served && served.Port != port)
            {
                candidates.SetValidity(index, false);
            }
        }

        return Task.CompletedTask;
    }
}
