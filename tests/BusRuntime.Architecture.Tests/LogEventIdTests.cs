using System.Reflection;
using Microsoft.Extensions.Logging;

namespace BusRuntime.Architecture.Tests;

/// <summary>A log event id names one kind of event across the whole runtime, so operators can filter on it.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void LoggerMessages_EachHasAnEventIdOfItsOwn()
    {
        var messages = ProjectGraph.Layers
            .SelectMany(layer => layer.Load().GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: $"{method.DeclaringType!.FullName}.{method.Name}", Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(message => message.Attribute is not null)
            .ToList();

        Assert.NotEmpty(messages);
        Assert.Empty(messages.Where(message => message.Attribute!.EventId <= 0).Select(message => message.Method));
        var shared = messages
            .GroupBy(message => message.Attribute!.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(message => message.Method))}");
        Assert.Empty(shared);
    }
}
