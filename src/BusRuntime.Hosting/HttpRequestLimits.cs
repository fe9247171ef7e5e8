using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;

namespace BusRuntime.Hosting;

public static class HttpRequestLimits
{
    /// <summary>
    /// Bounds a request body on the HTTP port as a gRPC message is bounded: the largest payload
    /// (BusRuntime:MaxPayloadBytes) plus 64 KiB for its envelope. A larger body is 413, before it is read
    /// into memory; Kestrel's own default would let 30 MB in.
    /// </summary>
    public static IApplicationBuilder UseBusRuntimeHttpRequestLimits(this IApplicationBuilder app, int httpPort, int maxPayloadBytes)
    {
        ArgumentNullException.ThrowIfNull(app);
        long limit = maxPayloadBytes + (64 * 1024);
        return app.Use((context, next) =>
        {
            if (context.Connection.LocalPort == httpPort && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }

            return next(context);
        });
    }
}
