using System.Diagnostics;
using BusRuntime.Core.Telemetry;
using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;
using Grpc.Core;

namespace BusRuntime.Sidecar.Tests.Tracing;

/// <summary>The runtime's spans of store calls and workflow steps, in the trace of the call that caused them.</summary>
public sealed class RuntimeSpansTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SaveStateAndTryLock_CallerSendsTraceParent_EachStoreCallIsASpanUnderTheCall()
    {
        await using var sidecar = await TestSidecar.StartAsync("traced-stores");
        var (traceId, callerSpan, headers) = CallerTrace();
        using var trace = new TraceRecorder(traceId, sidecar);

        await sidecar.Runtime.SaveStateAsync(
            new SaveStateRequest { StoreName = "statestore", States = { new StateItem { Key = "k", Value = ByteString.CopyFromUtf8("v") } } }, headers);
        await sidecar.Runtime.TryLockAsync(new TryLockRequest { StoreName = "lockstore", ResourceId = "r", LockOwner = "o", Expire = 60 }, headers);

        var write = await trace.WaitForAsync(span => span.DisplayName == "write statestore", Timeout);
        var tryLock = await trace.WaitForAsync(span => span.DisplayName == "try_lock lockstore", Timeout);
        Assert.Equal("traced-stores", write.GetTagItem(RuntimeActivities.AppIdTag));
        Assert.Equal("statestore", write.GetTagItem(RuntimeActivities.ComponentTag));
        Assert.Equal("try_lock", tryLock.GetTagItem(RuntimeActivities.DbOperationTag));
        Assert.True(await trace.DescendsAsync(write.SpanId, callerSpan, Timeout), trace.Describe());
        Assert.True(await trace.DescendsAsync(tryLock.SpanId, callerSpan, Timeout), trace.Describe());
    }

    [Fact]
    public async Task StartWorkflow_CallerSendsTraceParent_EachStepAndItsInvocationAreSpansInTheTrace()
    {
        await using var app = await InvokeApp.StartAsync();
        await using var sidecar = await TestSidecar.StartAsync("traced-flow", appPort: app.Port);
        await sidecar.WaitUntilServingInvocationsAsync();
        var (traceId, callerSpan, headers) = CallerTrace();
        using var trace = new TraceRecorder(traceId, sidecar);

        await sidecar.Runtime.StartWorkflowAsync(
            new StartWorkflowRequest { Steps = { new WorkflowStep { AppId = "traced-flow", Method = "a" }, new WorkflowStep { AppId = "traced-flow", Method = "b" } } },
            headers);

        var first = await trace.WaitForAsync(span => span.DisplayName == "workflow step 0", Timeout);
        var second = await trace.WaitForAsync(span => span.DisplayName == "workflow step 1", Timeout);
        Assert.Equal(1, second.GetTagItem(RuntimeActivities.WorkflowStepTag));
        Assert.Equal("b", second.GetTagItem(RuntimeActivities.RpcMethodTag));
        Assert.True(await trace.DescendsAsync(first.SpanId, callerSpan, Timeout), trace.Describe());
        Assert.True(await trace.DescendsAsync(second.SpanId, callerSpan, Timeout), trace.Describe());
        var invoke = await trace.WaitForAsync(span => span.Source.Name == RuntimeActivities.SourceName && span.Kind == ActivityKind.Client && span.ParentSpanId == second.SpanId, Timeout);
        Assert.Equal("traced-flow", invoke.GetTagItem(RuntimeActivities.PeerServiceTag));
    }

    private static (ActivityTraceId TraceId, ActivitySpanId SpanId, Metadata Headers) CallerTrace()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        return (traceId, spanId, new Metadata { { "traceparent", $"00-{traceId}-{spanId}-01" } });
    }
}
