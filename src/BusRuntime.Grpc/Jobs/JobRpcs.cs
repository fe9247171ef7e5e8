using BusRuntime.Core.Jobs;
using Grpc.Core;
using DaprV1 = BusRuntime.Protos.Dapr.Runtime.V1;

namespace BusRuntime.Grpc.Jobs;

/// <summary>Dapr's jobs API (stable and Alpha1 names answer alike): each call mapped onto <see cref="JobScheduler"/>.</summary>
public sealed class JobRpcs(JobScheduler jobs)
{
    public async Task<DaprV1.ScheduleJobResponse> ScheduleJob(DaprV1.ScheduleJobRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await jobs.ScheduleAsync(DaprJobMapping.ToJob(request.Job), request.Overwrite, context.CancellationToken).ConfigureAwait(false);
        return new DaprV1.ScheduleJobResponse();
    }

    public async Task<DaprV1.GetJobResponse> GetJob(DaprV1.GetJobRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var job = await jobs.GetAsync(request.Name, context.CancellationToken).ConfigureAwait(false);
        return new DaprV1.GetJobResponse { Job = DaprJobMapping.ToDapr(job) };
    }

    public async Task<DaprV1.DeleteJobResponse> DeleteJob(DaprV1.DeleteJobRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await jobs.DeleteAsync(request.Name, context.CancellationToken).ConfigureAwait(false);
        return new DaprV1.DeleteJobResponse();
    }

    public async Task<DaprV1.DeleteJobsByPrefixResponse> DeleteJobsByPrefix(DaprV1.DeleteJobsByPrefixRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await jobs.DeleteByPrefixAsync(request.NamePrefix, context.CancellationToken).ConfigureAwait(false);
        return new DaprV1.DeleteJobsByPrefixResponse();
    }

    public async Task<DaprV1.DeleteJobsByPrefixResponseAlpha1> DeleteJobsByPrefix(DaprV1.DeleteJobsByPrefixRequestAlpha1 request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await jobs.DeleteByPrefixAsync(request.NamePrefix, context.CancellationToken).ConfigureAwait(false);
        return new DaprV1.DeleteJobsByPrefixResponseAlpha1();
    }

    public async Task<DaprV1.ListJobsResponse> ListJobs(DaprV1.ListJobsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var list = await jobs.ListAsync(context.CancellationToken).ConfigureAwait(false);
        return new DaprV1.ListJobsResponse { Jobs = { list.Select(DaprJobMapping.ToDapr) } };
    }

    public async Task<DaprV1.ListJobsResponseAlpha1> ListJobs(DaprV1.ListJobsRequestAlpha1 request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var list = await jobs.ListAsync(context.CancellationToken).ConfigureAwait(false);
        return new DaprV1.ListJobsResponseAlpha1 { Jobs = { list.Select(DaprJobMapping.ToDapr) } };
    }
}
