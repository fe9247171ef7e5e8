using System.Diagnostics;
using System.Diagnostics.Metrics;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Errors;
using BusRuntime.Core.State;
using BusRuntime.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Stores;

/// <summary>
/// The stores' meter: how long each store call took and how it ended, and the state and configuration change
/// events published. Every store call passes through here, so here it is also traced.
/// </summary>
public sealed class StoreMetrics
{
    public const string MeterName = "BusRuntime.Stores";

    // Owned and disposed by the IMeterFactory that created it.
    private readonly Meter meter;
    private readonly Histogram<double> duration;
    private readonly Counter<long> changeEvents;
    private readonly Counter<long> configurationChangeEvents;
    private readonly TimeProvider timeProvider;
    private readonly string appId;

    public StoreMetrics(IMeterFactory meterFactory, TimeProvider timeProvider, IOptions<RuntimeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(options);
        this.timeProvider = timeProvider;
        appId = options.Value.AppId;
        meter = meterFactory.Create(MeterName);
        duration = meter.CreateHistogram<double>("busruntime.store.operation.duration", "s", "Store calls by component, operation and result (ok, or the error code).");
        changeEvents = meter.CreateCounter<long>("busruntime.state.change_events", "{event}", "StateChanged events after committed writes, by result (published or failed).");
        configurationChangeEvents = meter.CreateCounter<long>(
            "busruntime.configuration.change_events", "{event}", "ConfigurationChanged events after committed saves and deletes, by result (published or failed).");
    }

    /// <summary>Runs one store call in its span, and records how long it took and how it ended.</summary>
    public async Task<T> MeasureAsync<T>(string component, string operation, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var activity = RuntimeActivities.StartStoreCall(appId, component, operation);
        var started = timeProvider.GetTimestamp();
        var result = "ok";
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RuntimeException exception)
        {
            result = exception.Code.ToString();
            RuntimeActivities.Fail(activity, result, exception.Message);
            throw;
        }
        catch (ETagMismatchException exception)
        {
            result = nameof(ErrorCode.Aborted);
            RuntimeActivities.Fail(activity, result, exception.Message);
            throw;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            result = exception is OperationCanceledException ? "cancelled" : "error";
            RuntimeActivities.Fail(activity, exception.GetType().Name, exception.Message);
            throw;
        }
        finally
        {
            duration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, new TagList
            {
                { "app_id", appId }, { "component", component }, { "operation", operation }, { "result", result },
            });
        }
    }

    public void ChangeEventPublished(string storeName, bool published) =>
        changeEvents.Add(1, new TagList { { "app_id", appId }, { "store", storeName }, { "result", published ? "published" : "failed" } });

    public void ConfigurationChangeEventPublished(string storeName, bool published) =>
        configurationChangeEvents.Add(1, new TagList { { "app_id", appId }, { "store", storeName }, { "result", published ? "published" : "failed" } });
}
