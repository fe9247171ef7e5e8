using BusRuntime.Core.Configuration;
using BusRuntime.Core.Security;
using BusRuntime.Core.Workflows;
using BusRuntime.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace BusRuntime.Grpc.Workflows;

/// <summary>
/// Workflows on busruntime.v1 (Runtime for apps, Operations for the command line): each call mapped onto <see cref="IWorkflows"/>.
/// Runtime's calls see the sidecar's app's instances; Operations passes the view its caller's operator token gives.
/// </summary>
public sealed class WorkflowRpcs(IWorkflows workflows, IOptions<RuntimeOptions> options)
{
    private static readonly Empty Done = new();

    public async Task<StartWorkflowResponse> StartWorkflow(StartWorkflowRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var instanceId = await workflows.StartAsync(request.WorkflowName, request.InstanceId, request.Input.Memory, WorkflowMapping.ToSteps(request), context.CancellationToken).ConfigureAwait(false);
        return new StartWorkflowResponse { InstanceId = instanceId };
    }

    public Task<GetWorkflowResponse> GetWorkflow(GetWorkflowRequest request, ServerCallContext context) =>
        GetWorkflow(request, context, OperationsView.Of(options.Value.AppId));

    public async Task<GetWorkflowResponse> GetWorkflow(GetWorkflowRequest request, ServerCallContext context, OperationsView view)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var instance = await workflows.GetAsync(view, request.InstanceId, request.AppId, context.CancellationToken).ConfigureAwait(false);
        return new GetWorkflowResponse { Workflow = WorkflowMapping.ToProto(instance) };
    }

    public async Task<ListWorkflowsResponse> ListWorkflows(ListWorkflowsRequest request, ServerCallContext context, OperationsView view)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var instances = await workflows.ListAsync(view, request.Status, request.Limit, context.CancellationToken).ConfigureAwait(false);
        var response = new ListWorkflowsResponse();
        response.Workflows.AddRange(instances.Select(WorkflowMapping.ToProto));
        return response;
    }

    public async Task<Empty> TerminateWorkflow(TerminateWorkflowRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await workflows.TerminateAsync(request.InstanceId, request.Reason, context.CancellationToken).ConfigureAwait(false);
        return Done;
    }
}
