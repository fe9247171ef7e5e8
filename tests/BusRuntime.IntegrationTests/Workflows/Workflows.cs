using BusRuntime.Protos.V1;
using BusRuntime.Testing;
using Google.Protobuf;

namespace BusRuntime.IntegrationTests.Workflows;

/// <summary>Starting workflows and waiting for their final status through a sidecar's gRPC API.</summary>
internal static class Workflows
{
    public static readonly WorkflowStatus[] Final =
    [
        WorkflowStatus.Completed, WorkflowStatus.Failed, WorkflowStatus.Compensated, WorkflowStatus.CompensationFailed, WorkflowStatus.Terminated,
    ];

    public static async Task<string> StartAsync(TestSidecar sidecar, string input, params WorkflowStep[] steps)
    {
        var response = await sidecar.Runtime.StartWorkflowAsync(
            new StartWorkflowRequest { Input = ByteString.CopyFromUtf8(input), Steps = { steps } },
            deadline: DateTime.UtcNow.AddSeconds(60));
        return response.InstanceId;
    }

    public static async Task<WorkflowInstance> GetAsync(TestSidecar sidecar, string instanceId) =>
        (await sidecar.Runtime.GetWorkflowAsync(new GetWorkflowRequest { InstanceId = instanceId }, deadline: DateTime.UtcNow.AddSeconds(30))).Workflow;

    public static async Task<WorkflowInstance> WaitForEndAsync(TestSidecar sidecar, string instanceId, TimeSpan? timeout = null)
    {
        WorkflowInstance? last = null;
        await Poll.UntilAsync(
            async () =>
            {
                last = await GetAsync(sidecar, instanceId);
                return Final.Contains(last.Status);
            },
            timeout ?? TimeSpan.FromSeconds(90),
            () => $"workflow {instanceId} is {last}");
        return last!;
    }
}
