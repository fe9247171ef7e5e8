using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Tests.Configuration;

public sealed class ComponentsOptionsValidatorTests
{
    private static ComponentsOptions With(params (string Name, string Type)[] components) =>
        new() { Components = [.. components.Select(component => new ComponentOptions { Name = component.Name, Type = component.Type })] };

    [Fact]
    public void Validate_DistinctWellNamedComponents_Succeeds()
    {
        var result = new ComponentsOptionsValidator().Validate(null, With(("pubsub", "pubsub.bus"), ("audit-events", "pubsub.bus")));

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_UnknownType_FailsNamingTheKeyAndTheAllowedTypes()
    {
        var result = new ComponentsOptionsValidator().Validate(null, With(("pubsub", "pubsub.kafka")));

        Assert.True(result.Failed);
        Assert.Equal("BusRuntime:Components:0:Type 'pubsub.kafka' is not one of: pubsub.bus, state.in-memory, state.postgresql, lock.in-memory, lock.postgresql, sequencer.in-memory, sequencer.postgresql, configuration.in-memory, configuration.postgresql, secretstores.local.file, secretstores.local.env.", Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_NameTwice_FailsNamingTheSecond()
    {
        var result = new ComponentsOptionsValidator().Validate(null, With(("pubsub", "pubsub.bus"), ("pubsub", "pubsub.bus")));

        Assert.Equal("BusRuntime:Components:1:Name 'pubsub' is declared twice; component names must be unique.", Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("pub.sub")]
    [InlineData("-pubsub")]
    [InlineData("a-component-name-of-33-characters")]
    public void Validate_BadName_FailsWithThePattern(string name)
    {
        var result = new ComponentsOptionsValidator().Validate(null, With((name, "pubsub.bus")));

        Assert.Equal($"BusRuntime:Components:0:Name '{name}' must match {Names.ComponentNamePattern}.", Assert.Single(result.Failures!));
    }
}
