using System.Collections.Concurrent;
using BusRuntime.Contracts;
using BusRuntime.Core.Invoke;

namespace BusRuntime.Core.Tests.Invoke;

/// <summary>An app stand-in: records every request and answers with <see cref="Answer"/>.</summary>
public sealed class RecordingInvokeHandler : IInvokeHandler
{
    public ConcurrentQueue<InvokeRequest> Received { get; } = new();

    public Func<InvokeRequest, InvokeResponse> Answer { get; set; } = request => new InvokeResponse { Data = request.Data, ContentType = request.ContentType };

    public Task<InvokeResponse> HandleAsync(InvokeRequest request, CancellationToken cancellationToken)
    {
        Received.Enqueue(request);
        return Task.FromResult(Answer(request));
    }
}
