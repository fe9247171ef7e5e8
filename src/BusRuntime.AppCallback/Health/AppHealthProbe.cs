using BusRuntime.AppCallback.Http;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Health;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.AppCallback.Health;

/// <summary>
/// Probes the app's health as daprd does when <see cref="AppHealthOptions.Enabled"/>: at start, then every probe interval,
/// an HTTP app with GET on its check path (any 2xx is healthy), a gRPC app with AppCallbackHealthCheck.HealthCheck, each
/// probe bounded by the probe timeout. The result goes to <see cref="AppHealth"/>, which turns the app unhealthy after
/// the threshold of failures in a row and healthy again at the first success; each change is logged.
/// </summary>
public sealed class AppHealthProbe(
    AppHealth health,
    AppChannel app,
    IHttpClientFactory clients,
    IOptions<AppHealthOptions> healthOptions,
    IOptions<AppChannelOptions> options,
    TimeProvider timeProvider,
    ILogger<AppHealthProbe> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = healthOptions.Value;
        if (!settings.Enabled || options.Value.AppPort == 0)
        {
            return;
        }

        Log.ProbesStarting(logger, options.Value.IsHttpApp ? $"GET {CheckPath(settings)}" : "AppCallbackHealthCheck.HealthCheck", settings.ProbeInterval, settings.ProbeTimeout, settings.Threshold);
        using var timer = new PeriodicTimer(settings.ProbeInterval, timeProvider);
        do
        {
            var failure = await ProbeAsync(settings, stoppingToken).ConfigureAwait(false);
            switch (health.Report(failure is null, failure))
            {
                case true:
                    Log.Healthy(logger);
                    break;
                case false:
                    Log.Unhealthy(logger, settings.Threshold, health.Reason);
                    break;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Why the probe failed, or null when the app is healthy.</summary>
    private async Task<string?> ProbeAsync(AppHealthOptions settings, CancellationToken stoppingToken)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        probe.CancelAfter(settings.ProbeTimeout);
        try
        {
            if (options.Value.IsHttpApp)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(CheckPath(settings), UriKind.Relative));
                using var response = await clients.CreateClient(HttpAppClient.Name).SendAsync(request, probe.Token).ConfigureAwait(false);
                var statusCode = (int)response.StatusCode;
                return statusCode is >= 200 and < 300 ? null : $"GET {CheckPath(settings)} answered status {statusCode}";
            }

            await app.HealthClient.HealthCheckAsync(new Empty(), cancellationToken: probe.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested && (probe.IsCancellationRequested || exception is OperationCanceledException))
        {
            return $"the probe got no answer within {settings.ProbeTimeout.TotalMilliseconds:0}ms";
        }
        catch (HttpRequestException exception)
        {
            return $"network error: {exception.Message}";
        }
        catch (RpcException exception) when (!stoppingToken.IsCancellationRequested)
        {
            return $"AppCallbackHealthCheck.HealthCheck failed: {exception.StatusCode} {exception.Status.Detail}";
        }
    }

    private static string CheckPath(AppHealthOptions settings) => "/" + settings.CheckPath.TrimStart('/');
}
