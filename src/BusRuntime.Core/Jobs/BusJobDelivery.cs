using BusRuntime.Contracts;
using BusRuntime.Core.Configuration;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Jobs;

/// <summary>
/// A tick travels as a bus message: a <see cref="JobTriggered"/> request to the app's jobs queue (<see cref="JobNames.Queue"/>),
/// which every sidecar of the app consumes, so that the replica free first delivers it and answers whether its app took
/// it. The request lives no longer than <see cref="JobOptions.DeliveryTimeout"/>: a tick nobody took by then is a failed
/// try, which the job's failure policy decides on, and no stale copy of it is delivered later.
/// </summary>
public sealed class BusJobDelivery(IClientFactory clients, IOptions<RuntimeOptions> runtime, IOptions<JobOptions> options, ILogger<BusJobDelivery> logger) : IJobDelivery
{
    private readonly Lazy<IRequestClient<JobTriggered>> client =
        new(() => clients.CreateRequestClient<JobTriggered>(new Uri($"queue:{JobNames.Queue(runtime.Value.AppId)}")));

    public async Task<bool> DeliverAsync(string name, DateTimeOffset tick, JobData? data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var timeout = options.Value.DeliveryTimeout;
        var request = new JobTriggered
        {
            AppId = runtime.Value.AppId,
            Name = name,
            Tick = tick,
            DataTypeUrl = data?.TypeUrl,
            Data = data?.Value.ToArray() ?? [],
        };
        try
        {
            var outcome = await client.Value.GetResponse<JobTriggerOutcome>(request, cancellationToken, RequestTimeout.After(ms: (int)timeout.TotalMilliseconds)).ConfigureAwait(false);
            if (!outcome.Message.Taken)
            {
                Log.JobTickNotTaken(logger, name, tick, outcome.Message.Reason ?? "");
            }

            return outcome.Message.Taken;
        }
        catch (RequestTimeoutException)
        {
            Log.JobTickNotTaken(logger, name, tick, $"no sidecar of the app answered within {timeout}");
            return false;
        }
        catch (RequestFaultException exception)
        {
            Log.JobTickNotTaken(logger, name, tick, exception.Fault?.Exceptions.FirstOrDefault()?.Message ?? exception.Message);
            return false;
        }
    }
}
