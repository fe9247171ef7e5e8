using System.Collections.Concurrent;
using BusRuntime.IntegrationTests.Invoke;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.IntegrationTests.Workflows;

/// <summary>
/// Three callback apps, each behind its own sidecar on RabbitMQ. Every app appends its letter to the data it
/// gets ("a", "b", "c"); a method named "fail" answers FAILED_PRECONDITION, "undo-fail" answers INTERNAL.
/// <see cref="Calls"/> records every call across the three apps in arrival order as "app:method:data".
/// </summary>
internal sealed class WorkflowApps : IAsyncDisposable
{
    private readonly InvokeReplica[] replicas;

    private WorkflowApps(InvokeReplica[] replicas, string[] appIds)
    {
        this.replicas = replicas;
        AppIds = appIds;
        for (var index = 0; index < replicas.Length; index++)
        {
            var letter = (char)('a' + index);
            var appId = appIds[index];
            replicas[index].App.Respond = async (request, _) =>
            {
                var data = request.Data?.Value.ToStringUtf8() ?? "";
                Calls.Enqueue($"{Short(appId)}:{request.Method}:{data}");
                if (Gates.TryGetValue(request.Method, out var gate))
                {
                    await gate.Task;
                }

                return request.Method switch
                {
                    "fail" => throw new RpcException(new Status(StatusCode.FailedPrecondition, "out of stock")),
                    "undo-fail" => throw new RpcException(new Status(StatusCode.Internal, "the refund service is down")),
                    _ => InvokeApp.Answer(ByteString.CopyFromUtf8(data + letter), "text/plain"),
                };
            };
        }
    }

    public string[] AppIds { get; }

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Methods whose answer waits for the gate to open.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource> Gates { get; } = new(StringComparer.Ordinal);

    public IEnumerable<InvokeApp> Apps => replicas.Select(replica => replica.App);

    public static async Task<WorkflowApps> StartAsync(BusEntities entities)
    {
        string[] appIds = [entities.InvokedApp("wf-a"), entities.InvokedApp("wf-b"), entities.InvokedApp("wf-c")];
        var replicas = await Task.WhenAll(appIds.Select(appId => InvokeReplica.StartAsync(appId)));
        return new WorkflowApps(replicas, appIds);
    }

    /// <summary>The three apps with their sidecars on other settings (another broker), nothing to delete afterwards.</summary>
    public static async Task<WorkflowApps> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        string[] appIds = [RabbitMqFixture.Unique("wf-a"), RabbitMqFixture.Unique("wf-b"), RabbitMqFixture.Unique("wf-c")];
        var replicas = await Task.WhenAll(appIds.Select(appId => InvokeReplica.StartAsync(appId, settings)));
        return new WorkflowApps(replicas, appIds);
    }

    /// <summary>"a", "b" or "c" for an app id of these apps.</summary>
    public string Short(string appId) => ((char)('a' + Array.IndexOf(AppIds, appId))).ToString();

    public WorkflowStep Step(int app, string method, string? compensation = null) =>
        new() { AppId = AppIds[app], Method = method, CompensationMethod = compensation ?? "" };

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }
    }
}
