using BusRuntime.Core.Workflows;
using BusRuntime.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace BusRuntime.Grpc.Workflows;

/// <summary>Workflows on busruntime.v1 (Runtime for apps, Operations for the command line): each call mapped onto <see cref="IWorkflows"/>.</summary>
public sealed class WorkflowRpcs(IWorkflows workflows)
{
    private static readonly Empty Done = new();

    public async Task<StartWorkflowResponse> StartWorkflow(StartWorkflowRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var instanceId = await workflows.StartAsync(request.WorkflowName, request.InstanceId, request.Input.Memory, WorkflowMapping.ToSteps(request), context.CancellationToken).ConfigureAwait(false);
        return new StartWorkflowResponse { InstanceId = instanceId };
    }

    public async Task<GetWorkflowResponse> GetWorkflow(GetWorkflowRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var instance = await workflows.GetAsync(request.InstanceId, context.CancellationToken).ConfigureAwait(false);
        return new GetWorkflowResponse { Workflow = WorkflowMapping.ToProto(instance) };
    }

    public async Task<ListWorkflowsResponse> ListWorkflows(ListWorkflowsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var instances = await workflows.ListAsync(request.Status, request.Limit, context.CancellationToken).ConfigureAwait(false);
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
