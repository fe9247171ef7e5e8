using System.Collections.Concurrent;
using BusRuntime.Core.Configuration;
using BusRuntime.Core.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Bindings;

/// <summary>
/// Reads the input binding components and hands their events to the app, as daprd does: a binding whose <c>direction</c>
/// names <c>input</c> is read at once; any other is read only when the app says it takes it (gRPC apps list it in
/// ListInputBindings, HTTP apps answer OPTIONS on its route with a 2xx or 405), asked until the app answers. A binding
/// whose <c>direction</c> leaves out <c>input</c>, or whose type reads nothing (bindings.http), is not read. The input
/// bindings are created on start, so a bad setting stops start-up naming its key. A binding that stops reading with an
/// error starts again after a pause (up to 5 s); one that ends without an error has nothing to read.
/// </summary>
public sealed class InputBindings(
    IOptions<ComponentsOptions> components,
    IEnumerable<IStoreFactory<IInputBinding>> factories,
    IInputBindingApp app,
    IOptions<AppChannelOptions> appChannel,
    TimeProvider timeProvider,
    ILogger<InputBindings> logger) : BackgroundService
{
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(5);

    private readonly List<(string Name, string Route, bool Explicit, IInputBinding Binding)> bindings = [];
    private readonly ConcurrentDictionary<string, bool> reading = new(StringComparer.Ordinal);

    /// <summary>The input bindings the app takes events of and that are being read.</summary>
    public IReadOnlyCollection<string> Reading => [.. reading.Keys];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var byType = factories.GroupBy(factory => factory.Type, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        foreach (var component in components.Value.Components.Where(ComponentKind.Bindings.Includes))
        {
            var directions = Directions(component);
            if (!byType.TryGetValue(component.Type, out var factory) || (directions is not null && !directions.Contains("input")))
            {
                continue;
            }

            var route = Route(component);
            bindings.Add((component.Name, route, directions is not null, factory.Create(component)));
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (bindings.Count == 0)
        {
            return;
        }

        if (appChannel.Value.AppPort == 0)
        {
            Log.InputBindingsWithoutApp(logger, bindings.Count);
            return;
        }

        await Task.WhenAll(bindings.Select(binding => RunAsync(binding.Name, binding.Route, binding.Explicit, binding.Binding, stoppingToken))).ConfigureAwait(false);
    }

    private async Task RunAsync(string name, string route, bool explicitInput, IInputBinding binding, CancellationToken stoppingToken)
    {
        try
        {
            if (!explicitInput && !await TakenAsync(name, route, stoppingToken).ConfigureAwait(false))
            {
                Log.InputBindingNotTaken(logger, name, route);
                return;
            }

            Log.InputBindingStarted(logger, name, route);
            reading[name] = true;
            var pause = TimeSpan.FromMilliseconds(100);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // A read that ends without an error has nothing more to read.
                    await binding.ReadAsync((bindingEvent, token) => DeliverAsync(name, route, bindingEvent, token), stoppingToken).ConfigureAwait(false);
                    return;
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.InputBindingFailed(logger, name, exception.Message, pause);
                    await Task.Delay(pause, timeProvider, stoppingToken).ConfigureAwait(false);
                    pause = pause * 2 > MaxPause ? MaxPause : pause * 2;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The sidecar stops.
        }
        finally
        {
            reading.TryRemove(name, out _);
        }
    }

    /// <summary>Asks the app until it answers: it may start after its sidecar.</summary>
    private async Task<bool> TakenAsync(string name, string route, CancellationToken stoppingToken)
    {
        var pause = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await app.TakesAsync(name, route, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                Log.InputBindingProbeFailed(logger, name, attempt, exception.Message);
                await Task.Delay(pause, timeProvider, stoppingToken).ConfigureAwait(false);
                pause = pause * 2 > MaxPause ? MaxPause : pause * 2;
            }
        }
    }

    private async Task<bool> DeliverAsync(string name, string route, InputBindingEvent bindingEvent, CancellationToken cancellationToken)
    {
        try
        {
            return await app.DeliverAsync(name, route, bindingEvent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            Log.InputBindingEventFailed(logger, name, exception.Message);
            return false;
        }
    }

    /// <summary>The directions <c>direction</c> names ("input, output"), or null when it is not set.</summary>
    private static HashSet<string>? Directions(ComponentOptions component)
    {
        if (ComponentMetadata.GetString(component, BindingMetadata.Direction) is not { } text)
        {
            return null;
        }

        HashSet<string> directions = [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(direction => direction.ToLowerInvariant())];
        return directions.Count > 0 && directions.All(direction => direction is "input" or "output")
            ? directions
            : throw new InvalidOperationException($"{ComponentMetadata.KeyOf(component, BindingMetadata.Direction)} '{text}' must be input, output or \"input, output\".");
    }

    /// <summary>The app's path for the binding's events, without its leading slash: <c>route</c>, or the binding's name.</summary>
    private static string Route(ComponentOptions component)
    {
        var route = ComponentMetadata.GetString(component, BindingMetadata.Route);
        if (route is null)
        {
            return component.Name;
        }

        var path = route.TrimStart('/');
        return path.Length is > 0 and <= 256 && path.All(character => character is > ' ' and < (char)127 and not ('?' or '#' or '\\'))
            ? path
            : throw new InvalidOperationException(
                $"{ComponentMetadata.KeyOf(component, BindingMetadata.Route)} '{route}' must be a path of the app of 1 to 256 printable ASCII characters without '?', '#' or '\\', such as /orders.");
    }
}
