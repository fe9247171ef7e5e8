using BusRuntime.Core.Invoke;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using AppInvokeRequest = BusRuntime.Protos.Dapr.Common.V1.InvokeRequest;
using AppInvokeResponse = BusRuntime.Protos.Dapr.Common.V1.InvokeResponse;
using BusInvokeRequest = BusRuntime.Contracts.InvokeRequest;
using BusInvokeResponse = BusRuntime.Contracts.InvokeResponse;
using HttpExtension = BusRuntime.Protos.Dapr.Common.V1.HTTPExtension;

namespace BusRuntime.AppCallback;

/// <summary>Maps invoke requests on the bus to Dapr's OnInvoke call, and the app's answer (or status) back.</summary>
public static class InvokeMapping
{
    public static AppInvokeRequest ToAppRequest(BusInvokeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var appRequest = new AppInvokeRequest
        {
            Method = request.Method,
            Data = new Any { TypeUrl = request.DataTypeUrl, Value = ByteString.CopyFrom(request.Data) },
            ContentType = request.ContentType,
        };
        if (request.HttpVerb.Length > 0 || request.QueryString.Length > 0)
        {
            appRequest.HttpExtension = new HttpExtension
            {
                Verb = System.Enum.TryParse<HttpExtension.Types.Verb>(request.HttpVerb, ignoreCase: true, out var verb) ? verb : HttpExtension.Types.Verb.None,
                Querystring = request.QueryString,
            };
        }

        return appRequest;
    }

    /// <summary>The caller's metadata as request headers, and who called.</summary>
    public static Metadata ToHeaders(BusInvokeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = new Metadata { { InvokeHeaders.CallerAppId, request.Source } };
        foreach (var (key, value) in request.Metadata)
        {
            // A .NET service may send what the sidecar would have refused; the app gets only what is carried.
            if (InvokeHeaders.Problem(key, value) is null)
            {
                headers.Add(key, value);
            }
        }

        return headers;
    }

    public static BusInvokeResponse ToResponse(AppInvokeResponse response, Metadata headers, Metadata trailers)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new BusInvokeResponse
        {
            StatusCode = InvokeStatus.Ok,
            Data = response.Data?.Value.ToByteArray() ?? [],
            ContentType = response.ContentType,
            DataTypeUrl = response.Data?.TypeUrl ?? "",
            Headers = Carried(headers),
            Trailers = Carried(trailers),
        };
    }

    /// <summary>The app's own failure: its status code and message, unchanged, with its trailers.</summary>
    public static BusInvokeResponse ToFailure(RpcException failure, string statusMessage)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new BusInvokeResponse
        {
            StatusCode = (int)failure.StatusCode,
            StatusMessage = statusMessage,
            Trailers = Carried(failure.Trailers),
        };
    }

    /// <summary>Headers and trailers as they travel back to the caller: text entries the transports do not own.</summary>
    public static IReadOnlyDictionary<string, string> Carried(Metadata? metadata)
    {
        var carried = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in metadata ?? [])
        {
            if (!entry.IsBinary && InvokeHeaders.IsCarried(entry.Key))
            {
                carried[entry.Key] = entry.Value;
            }
        }

        return carried;
    }
}
